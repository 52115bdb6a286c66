import DiscoOpenStack
import DiscoServer
import Foundation

/// `disco-sm simulate-cloud`: its arguments, then ``SimulatedCloudServer`` until a signal.
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
        let server: SimulatedCloudServer
        do {
            server = try await SimulatedCloudServer.start(
                host: host, port: port,
                configuration: .init(users: users, quota: quota, timing: .realistic(readySeconds: ready)), control: control)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
        FileHandle.standardOutput.write(Data("simulated cloud at \(server.simulator.authURL.absoluteString) (user demo, password demo, project demo)\n".utf8))
        await server.runUntilSignalled()
        return 0
    }
}
