import DiscoCore
import DiscoOpenStack
import Foundation
import Synchronization
import Testing
@testable import disco_cli

/// A server whose listing comes in pages of two.
private final class PagedServer: HTTPTransport {
    let names: [String]
    let asked = Mutex<[String]>([])
    init(names: [String]) { self.names = names }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        asked.withLock { $0.append(request.url.query ?? "") }
        let views = names.map { name in
            ClusterView(ClusterRecord(
                id: "id-\(name)", projectID: "p", projectName: "demo", userID: "u",
                spec: ClusterSpec(name: name, master: NodeSpec(image: "i", flavor: "f"), worker: NodeSpec(image: "i", flavor: "f"),
                                  workers: 1, externalNetwork: "public"),
                components: [], uiLinks: [],
                totals: ResourceTotals(instances: 2, vcpus: 2, ramMB: 2, diskGB: 2, floatingIPs: 1, networks: 1, routers: 1, securityGroups: 1),
                stackName: "disco-\(name)", createdAt: Date(timeIntervalSince1970: 1_800_000_000)))
        }
        let marker = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "marker" }?.value
        let start = marker.flatMap { m in views.firstIndex { $0.id == m }.map { $0 + 1 } } ?? 0
        let end = min(views.count, start + 2)
        let page = ClusterListView(clusters: Array(views[start..<end]),
                                   next: end < views.count ? "/api/v1/clusters?limit=2&marker=\(views[end - 1].id)" : nil)
        // Pretty-printed: unlike the client's own encoder, so a body passed through is told from one re-encoded.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return HTTPResponse(status: 200, body: try encoder.encode(page))
    }
}

@Suite struct ClusterListingTests {
    @Test func theClientFollowsEveryPage() async throws {
        let server = PagedServer(names: ["a", "b", "c", "d", "e"])
        let client = DiscoAPIClient(baseURL: URL(string: "http://127.0.0.1:1")!, token: "t", transport: server)
        let (clusters, data) = try await client.clusters()
        #expect(clusters.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(server.asked.withLock { $0 } == ["", "marker=id-b", "marker=id-d"])
        // --json gets one listing of everything.
        let joined = try DiscoAPIClient.decoder.decode(ClusterListView.self, from: data)
        #expect(joined.clusters.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(joined.next == nil)
    }

    @Test func aSinglePageIsPassedThroughAsSent() async throws {
        let server = PagedServer(names: ["only"])
        let client = DiscoAPIClient(baseURL: URL(string: "http://127.0.0.1:1")!, token: "t", transport: server)
        let (clusters, data) = try await client.clusters()
        #expect(clusters.map(\.name) == ["only"])
        let sent = try await server.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:1/api/v1/clusters")!)).body
        #expect(data == sent)
        #expect(data != (try DiscoAPIClient.encoder.encode(ClusterListView(clusters: clusters))), "the page was re-encoded")
    }
}
