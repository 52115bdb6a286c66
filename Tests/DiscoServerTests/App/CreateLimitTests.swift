import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// What one project can make DISCO create (issue 22, finding 7): creates racing the quota are counted against it,
/// a cap on the project's clusters (403) and on its creates a minute (429), each error naming its limit.
@Suite struct CreateLimitTests {
    /// Three instances of m1.small: 1 vCPU, 2 GB each.
    static let spec = #"{"name":"race","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"workers":2,"externalNetwork":"public"}"#

    func create(_ t: TestApp, _ token: String, body: String = spec) async -> HTTPServerResponse {
        await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: body)
    }

    @Test func createsRacingTheQuotaAreCountedAgainstIt() async throws {
        let t = try await TestApp.make(quota: .init(instances: 20), configure: { $0.createsPerMinute = nil })
        defer { Task { await t.stop() } }
        let token = try await t.token()
        // Ten creates at once, each needing 3 of the 20 instances, all within the minute the headroom is reused.
        let statuses = await withTaskGroup(of: (Int, String).self) { group in
            for _ in 0..<10 { group.addTask { let r = await create(t, token); return (r.status, r.text) } }
            return await group.reduce(into: [(Int, String)]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0.0 == 201 }.count == 6, "\(statuses.map(\.0))")
        let refused = statuses.filter { $0.0 != 201 }
        #expect(refused.count == 4 && refused.allSatisfy { $0.0 == 400 }, "\(refused)")
        #expect(refused.allSatisfy { $0.1.contains("needs 3 instances but the project has 2 left once 6 of its clusters still being created are counted") },
                "\(refused.first?.1 ?? "")")
    }

    @Test func theProjectsClusterCapIsA403NamingIt() async throws {
        let t = try await TestApp.make(configure: { $0.maxClustersPerProject = 2 })
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let first = await create(t, token)
        #expect(first.status == 201)
        #expect(await create(t, token).status == 201)
        let capped = await create(t, token)
        #expect(capped.status == 403)
        #expect(capped.text.contains("project 'demo' has 2 clusters, the most allowed ([disco] max_clusters_per_project = 2)"), "\(capped.text)")
        let occi = await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: OCCIAPITests.readmeAttributes))
        #expect(occi.status == 403, "\(occi.text)")
        // Another project is not affected; a delete makes room.
        #expect(await create(t, try await t.token("alice", "alice-pw", project: "other")).status == 201)
        let id = try #require(try first.json()["id"] as? String)
        #expect(await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).status == 202)
        #expect(await create(t, token).status == 201)
    }

    @Test func createsArePacedPerProject() async throws {
        let t = try await TestApp.make(configure: { $0.createsPerMinute = 3 })
        defer { Task { await t.stop() } }
        let token = try await t.token()
        #expect(await create(t, token, body: Self.spec.replacingOccurrences(of: "m1.small", with: "m9.huge")).status == 400)
        for _ in 0..<3 { #expect(await create(t, token).status == 201) }
        let paced = await create(t, token)
        #expect(paced.status == 429)
        #expect(paced.headers["Retry-After"] == "20")
        #expect(paced.text.contains("project 'demo' made 3 creates within a minute, the most allowed ([disco] creates_per_minute = 3); try again in 20 s"),
                "\(paced.text)")
        #expect(await create(t, try await t.token("alice", "alice-pw", project: "other")).status == 201)
        t.clock.advance(by: 20)
        #expect(await create(t, token).status == 201)
    }
}
