import DiscoCore
import DiscoOpenStack
import Foundation
import Synchronization
import Testing
@testable import disco_cli

/// A server whose cluster is gone as soon as its delete is answered (a fast cloud, or a slow poll).
private final class VanishingClusterServer: HTTPTransport {
    static let id = "0b7c2a9e-5d2f-4c1e-9a53-7f1d2c3b4a5e"
    let deleted = Mutex(false)

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let view = ClusterView(ClusterRecord(
            id: Self.id, projectID: "p", projectName: "demo", userID: "u",
            spec: ClusterSpec(name: "brief", master: NodeSpec(image: "i", flavor: "f"), worker: NodeSpec(image: "i", flavor: "f"),
                              workers: 1, externalNetwork: "public"),
            components: [], uiLinks: [],
            totals: ResourceTotals(instances: 2, vcpus: 2, ramMB: 2, diskGB: 2, floatingIPs: 1, networks: 1, routers: 1, securityGroups: 1),
            stackName: "disco-brief", createdAt: Date(timeIntervalSince1970: 1_800_000_000)))
        switch (request.method, deleted.withLock { $0 }) {
        case ("DELETE", _):
            deleted.withLock { $0 = true }
            var deleting = view
            deleting.state = "deleting"
            return HTTPResponse(status: 202, body: try DiscoAPIClient.encoder.encode(deleting))
        case ("GET", false):
            return HTTPResponse(status: 200, body: try DiscoAPIClient.encoder.encode(view))
        default:
            return HTTPResponse(status: 404, body: Data(#"{"error": "no cluster '\#(Self.id)' in this project"}"#.utf8))
        }
    }
}

@Suite struct DeleteWaitTests {
    @Test func aDeleteThatFinishesBeforeTheFirstPollIsReportedDone() async throws {
        let (console, out, err) = Console.capturing(input: [], isTTY: false, width: 120)
        let cli = CLI(environment: ["DISCO_URL": "http://127.0.0.1:1", "DISCO_TOKEN": "t"], console: console,
                      transport: VanishingClusterServer())
        let status = await cli.run(arguments: ["delete", VanishingClusterServer.id, "--yes", "--wait", "--interval", "0.1"])
        #expect(status == 0, "\(err.text)")
        #expect(out.text.contains("Deleted cluster brief (\(VanishingClusterServer.id))."), "\(out.text)")
    }
}

/// A server that takes requests and never answers in time.
private struct SilentServer: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError(isTimeout: true, message: "\(request.url.absoluteString): timed out")
    }
}

@Suite struct SilentServerTests {
    /// Not "cannot reach … start disco-sm": the server is up and may still create the cluster.
    @Test func aServerThatDoesNotAnswerInTimeIsNotCalledUnreachable() async throws {
        let (console, _, err) = Console.capturing(input: [], isTTY: false, width: 120)
        let cli = CLI(environment: ["DISCO_URL": "http://127.0.0.1:1", "DISCO_TOKEN": "t"], console: console,
                      transport: SilentServer())
        let status = await cli.run(arguments: ["create", "slow", "-c", "spark"])
        #expect(status == 1)
        #expect(err.text.hasPrefix("Error: the DISCO service manager at http://127.0.0.1:1 did not answer within 30 s; "
                                   + "it may still carry the request out: look with 'disco-cli list' before trying again"), "\(err.text)")
        let list = await cli.run(arguments: ["list"])
        #expect(list == 1)
        #expect(err.text.contains("did not answer within 30 s; it may be overloaded or waiting on the cloud"), "\(err.text)")
    }
}
