import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// A revoked token stops working at once for what changes something or reads a secret (issue 22, finding 6): those
/// requests ask Keystone, not the validation cache.
@Suite struct RevalidationTests {
    @Test func aRevokedTokenCannotDeleteActCreateOrFetchAKey() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let auth = [("X-Auth-Token", token)]
        let created = await t.request("POST", "/api/v1/clusters", headers: auth, body: LifecycleTests.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        #expect(await t.request("GET", "/api/v1/clusters", headers: auth).status == 200)  // the token is in the cache
        t.simulator.expireAllTokens()  // Keystone revokes every token

        for (method, path, body) in [
            ("GET", "/api/v1/clusters/\(id)/ssh-key", ""),
            ("GET", "/api/v1/clusters/\(id)/passwords", ""),
            ("POST", "/api/v1/clusters/\(id)/actions", #"{"action":"suspend"}"#),
            ("DELETE", "/api/v1/clusters/\(id)", ""),
            ("POST", "/api/v1/clusters", LifecycleTests.spec),
            ("DELETE", "/disco/\(id)", ""),
        ] {
            let response = await t.request(method, path, headers: auth, body: body)
            #expect(response.status == 401, "\(method) \(path): \(response.status) \(response.text)")
        }
        #expect(await t.state(of: id, project: project) == .ready)
        // Once Keystone has refused it, the token is not taken from the cache for reads either.
        #expect(await t.request("GET", "/api/v1/clusters", headers: auth).status == 401)
    }

    @Test func readsStayCachedAndChangesAreChecked() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let auth = [("X-Auth-Token", token)]
        _ = await t.request("GET", "/api/v1/clusters", headers: auth)
        t.simulator.clearRequests()
        for _ in 0..<5 { #expect(await t.request("GET", "/api/v1/clusters", headers: auth).status == 200) }
        let checks = { t.simulator.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/auth/tokens") }.count }
        #expect(checks() == 0)
        _ = await t.request("DELETE", "/api/v1/clusters/nosuch", headers: auth)
        _ = await t.request("GET", "/api/v1/clusters/nosuch/ssh-key", headers: auth)
        #expect(checks() == 2)
    }
}
