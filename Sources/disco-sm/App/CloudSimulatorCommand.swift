import DiscoCore
import DiscoOpenStack
import Foundation

/// `disco-sm simulate-cloud`: serves the simulated Keystone/Heat/Nova/Neutron/Glance over HTTP on loopback, so a
/// `disco-sm` configured with `cloud = openstack` can run against it through the real HTTP client — and be killed
/// and restarted while the "cloud" keeps its stacks.
enum CloudSimulatorCommand {
    static let usage = """
        OVERVIEW: Serve the simulated OpenStack cloud over HTTP (for tests and demos).

        USAGE: disco-sm simulate-cloud [--host <address>] [--port <port>] [--ready-seconds <s>] [--control]

        OPTIONS:
          --host <address>        Address to listen on (default 127.0.0.1).
          --port <port>           Port (default 5000). Keystone is at http://<host>:<port>/identity/v3.
          --ready-seconds <s>     About how long a cluster stack takes to complete (default 10).
          --quota-instances <n>   Instances each project may run (default 20; cores and RAM follow).
          --user <name:password:project>
                                  Another user in a project of its own (repeatable; demo/demo is always there).
          --control               Also serve /_simulator/state and POST /_simulator/faults (fault injection for
                                  test harnesses; see SimulatorControl).
          -h, --help              Show help information.

        """

    static func run(arguments: [String]) async -> Int32 {
        var host = "127.0.0.1", port = 5000, ready = 10.0
        var quota = SimulatedCloud.Quota()
        var users = [SimulatedCloud.User(name: "demo", password: "demo", projectName: "demo")]
        var index = 0, control = false
        while index < arguments.count {
            let flag = arguments[index]
            if flag == "--control" {
                control = true
                index += 1
                continue
            }
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch flag {
            case "-h", "--help":
                FileHandle.standardOutput.write(Data(usage.utf8))
                return 0
            case "--host" where value != nil: host = value!
            case "--port" where value.flatMap(Int.init).map { (0...65535).contains($0) } == true: port = Int(value!)!
            case "--ready-seconds" where value.flatMap(Double.init).map { $0 >= 0 } == true: ready = Double(value!)!
            case "--quota-instances" where value.flatMap(Int.init).map { $0 > 0 } == true:
                let n = Int(value!)!
                quota = SimulatedCloud.Quota(instances: n, cores: n * 8, ramMB: n * 16384, floatingIPs: max(10, n))
            case "--user" where value.map { $0.split(separator: ":", omittingEmptySubsequences: false).count == 3 } == true:
                let parts = value!.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                users.append(SimulatedCloud.User(name: parts[0], password: parts[1], projectName: parts[2]))
            default:
                FileHandle.standardError.write(Data("Error: unexpected '\(flag)'\n\(usage)".utf8))
                return 64
            }
            index += 2
        }
        let scale = ready / 10
        let t = SimulatedCloud.Timing.realistic
        let timing = SimulatedCloud.Timing(resource: t.resource * scale, server: t.server * scale, signal: t.signal * scale,
                                           delete: t.delete * scale, action: t.action * scale)
        var server: HTTPServer?
        do {
            // Bind first so the catalog can name the real port.
            let probe = HTTPServer(configuration: .init(host: host, port: port)) { _ in .status(503) }
            let actualPort = try probe.start()
            await probe.stop()
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(actualPort)"
            let simulator = SimulatedCloud(configuration: .init(users: users, quota: quota, timing: timing), host: base)
            let servesControl = control
            let http = HTTPServer(configuration: .init(host: host, port: actualPort)) { request in
                if servesControl, request.path.hasPrefix(SimulatorControl.prefix) {
                    return SimulatorControl.handle(request, simulator: simulator)
                }
                return await forward(request, to: simulator, base: base)
            }
            try http.start()
            server = http
            FileHandle.standardOutput.write(Data("simulated cloud at \(simulator.authURL.absoluteString) (user demo, password demo, project demo)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
        let stopper = server!.stopOnSignals()
        await server!.run()
        _ = stopper
        return 0
    }

    private static func forward(_ request: HTTPServerRequest, to simulator: SimulatedCloud, base: String) async -> HTTPServerResponse {
        guard let url = URL(string: base + request.target) else { return .text(400, "bad request target\n") }
        let forwarded = HTTPRequest(method: request.method, url: url, headers: request.headers.entries, body: request.body)
        do {
            let response = try await simulator.send(forwarded)
            return HTTPServerResponse(status: response.status, headers: HTTPHeaders(response.headers), body: response.body)
        } catch {
            return .text(504, "\(error)\n")
        }
    }
}
