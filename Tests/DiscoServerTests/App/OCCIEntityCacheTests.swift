import DiscoCore
import DiscoOCCI
import Foundation
import Testing
@testable import DiscoServer

/// `GET /disco/{id}` answers from ``OCCIEntityCache`` while the cluster is unchanged, and anew once it changes.
@Suite struct OCCIEntityCacheTests {
    @Test func aChangedRecordIsRenderedAnew() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let auth = [("X-Auth-Token", token)]
        let created = await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: OCCIAPITests.readmeAttributes))
        #expect(created.status == 201, "\(created.text)")
        let id = String(try #require(created.headers["Location"]).split(separator: "/").last!)
        try await t.settle { await t.state(of: id, project: project) == .ready }

        let first = await t.request("GET", "/disco/\(id)", headers: auth)
        let second = await t.request("GET", "/disco/\(id)", headers: auth)
        #expect(first.status == 200 && second.status == 200)
        #expect(first.body == second.body)
        #expect(first.text.contains(#"disco.state="ready""#))
        #expect(first.text.contains(#"icclab.disco.components.heat.slavecount="2""#))
        #expect(first.headers["X-Request-ID"] != second.headers["X-Request-ID"])  // per-request headers are not cached
        #expect(t.app.occiCache.count == 1)

        // Another rendering of the same record is cached beside the first; the first is still served.
        let occi = await t.request("GET", "/disco/\(id)", headers: auth + [("Accept", "text/occi")])
        #expect(occi.headers.values("X-OCCI-Attribute").joined().contains(#"disco.state="ready""#))
        #expect(await t.request("GET", "/disco/\(id)", headers: auth).body == first.body)

        // Scaling changes the record: the next read shows it.
        _ = try await t.service.scale(id, projectID: project, workers: 3)
        let scaling = await t.request("GET", "/disco/\(id)", headers: auth)
        #expect(scaling.text.contains(#"disco.state="scaling""#))
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let scaled = await t.request("GET", "/disco/\(id)", headers: auth)
        #expect(scaled.text.contains(#"disco.state="ready""#) && scaled.text.contains(#"slavecount="3""#))

        // Another Host is another base URL, so other locations.
        let other = await t.request("GET", "/disco/\(id)", headers: auth + [("Host", "other.test")])
        #expect(other.status == 200)

        // Deleted: not found, whatever is cached; once the record is gone, so are its renderings.
        #expect(await t.request("GET", "/api/v1/clusters/\(id)", headers: auth).status == 200)
        #expect(t.app.jsonCache.count == 1)
        _ = await t.request("DELETE", "/disco/\(id)", headers: auth)
        #expect(await t.request("GET", "/disco/\(id)", headers: auth).status == 404)
        try await t.settle { await t.state(of: id, project: project) == nil && t.app.occiCache.count == 0 }
        #expect(t.app.jsonCache.count == 0)
    }

    @Test func entriesAreKeyedByRecordKeyBaseURLAndType() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: OCCIAPITests.readmeAttributes))
        let id = String(try #require(created.headers["Location"]).split(separator: "/").last!)
        let record = try await t.service.get(id, projectID: project)
        let cache = OCCIEntityCache(maxEntries: 2)
        var renders = 0
        func get(_ record: ClusterRecord, key: String? = "k", base: String = "http://a", type: OCCIMediaType = .textPlain) -> Int {
            let response = cache.response(for: record, privateKey: key, baseURL: base, type: type) {
                renders += 1
                return .text(200, "render \(renders)")
            }
            return Int(response.text.split(separator: " ").last!)!
        }
        #expect(get(record) == 1)
        #expect(get(record) == 1)
        #expect(get(record, type: .textOCCI) == 2)
        #expect(get(record, base: "http://b") == 3)
        #expect(get(record) == 1)
        #expect(get(record, key: nil) == 4)  // another key replaces the entry
        #expect(get(record, key: nil, type: .textOCCI) == 5)
        var changed = record
        changed.stateReason = "something else"
        #expect(get(changed, key: nil) == 6)
        #expect(get(changed, key: nil) == 6)
        #expect(get(record, key: nil) == 7)  // the older version is not served either
        #expect(cache.count == 1)
        var another = record
        another.id = "another"
        var third = record
        third.id = "third"
        #expect(get(another) == 8)
        #expect(get(third) == 9)  // past maxEntries the cache starts over
        #expect(cache.count == 1)
    }
}
