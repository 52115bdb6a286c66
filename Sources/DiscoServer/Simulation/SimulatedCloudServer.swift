package import DiscoCore
package import DiscoOpenStack
import Foundation

/// The simulated Keystone/Heat/Nova/Neutron/Glance served over HTTP, so that a `disco-sm` configured with
/// `cloud = openstack` can run against it through the real HTTP client, and be killed and restarted while the
/// "cloud" keeps its stacks.
package final class SimulatedCloudServer: Sendable {
    /// The cloud being served.
    package let simulator: SimulatedCloud
    private let http: HTTPServer

    private init(simulator: SimulatedCloud, http: HTTPServer) {
        self.simulator = simulator
        self.http = http
    }

    /// Binds `host:port` (port 0 picks one) and starts serving `configuration`'s cloud.
    ///
    /// - Parameter control: also serve ``SimulatorControl``'s routes (fault injection for test harnesses).
    /// - Throws: ``SocketError`` if the address cannot be bound.
    package static func start(host: String, port: Int, configuration: SimulatedCloud.Configuration,
                              clock: any DiscoClock = SystemClock(), control: Bool) async throws -> SimulatedCloudServer {
        // Bind first so that the catalog can name the real port.
        let probe = HTTPServer(configuration: .init(host: host, port: port)) { _ in .status(503) }
        let actualPort = try probe.start()
        await probe.stop()
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(actualPort)"
        let simulator = SimulatedCloud(configuration: configuration, clock: clock, host: base)
        let http = HTTPServer(configuration: .init(host: host, port: actualPort)) { request in
            if control, request.path.hasPrefix(SimulatorControl.prefix) {
                return SimulatorControl.handle(request, simulator: simulator)
            }
            return await forward(request, to: simulator, base: base)
        }
        try http.start()
        return SimulatedCloudServer(simulator: simulator, http: http)
    }

    /// Stops serving.
    package func stop() async { await http.stop() }

    /// Serves until SIGTERM or SIGINT.
    package func runUntilSignalled() async {
        let stopper = http.stopOnSignals()
        await http.run()
        _ = stopper
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
