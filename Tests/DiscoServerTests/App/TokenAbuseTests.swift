import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// What one client's bad tokens and sign-ins cost Keystone (issue 22, finding 5): a refused token is refused from a
/// cache for a while, an address's refused tokens and sign-ins are limited, and a sign-in is JSON only.
@Suite struct TokenAbuseTests {
    /// Token checks the simulated Keystone answered since `clearRequests()`.
    func validations(_ t: TestApp) -> Int {
        t.simulator.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/auth/tokens") }.count
    }

    func signIn(_ t: TestApp, password: String = "demo", contentType: String? = "application/json",
                from peer: String = "127.0.0.1:0") async -> HTTPServerResponse {
        await t.request("POST", "/api/v1/tokens", headers: contentType.map { [("Content-Type", $0)] } ?? [],
                        body: #"{"username":"demo","password":"\#(password)","project":"demo"}"#, from: peer)
    }

    @Test func oneBadTokenRepeatedCostsOneKeystoneCheckUntilItsRefusalExpires() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        t.simulator.clearRequests()
        for _ in 0..<100 {
            let response = await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", "gAAAA-bogus-token")])
            #expect(response.status == 401)
        }
        #expect(validations(t) == 1)
        t.clock.advance(by: 11)
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", "gAAAA-bogus-token")]).status == 401)
        #expect(validations(t) == 2)
    }

    @Test func manyBadTokensFromOneAddressAreCutOffAndOthersGoOn() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let flooder = "10.0.0.5:40000"
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", token)], from: flooder).status == 200)
        t.simulator.clearRequests()
        var statuses: [Int: Int] = [:]
        var refusal: HTTPServerResponse?
        for i in 0..<200 {
            let response = await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", "gAAAA-bogus-\(i)")], from: flooder)
            statuses[response.status, default: 0] += 1
            if response.status == 429 { refusal = response }
        }
        #expect(validations(t) <= 30, "\(statuses)")
        #expect(statuses[429, default: 0] >= 170, "\(statuses)")
        let last = try #require(refusal)
        #expect(last.headers["Retry-After"] == "1")
        #expect(last.text.contains("too many refused tokens from 10.0.0.5: 30 allowed, then one a second"), "\(last.text)")
        // A token verified moments ago still passes there; other addresses are not affected.
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", token)], from: flooder).status == 200)
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", "gAAAA-other")], from: "10.0.0.6:1").status == 401)
        // The budget comes back with time.
        t.clock.advance(by: 2)
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", "gAAAA-later")], from: flooder).status == 401)
    }

    @Test func failedSignInsAreLimitedPerAddress() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        t.simulator.clearRequests()
        for _ in 0..<20 { #expect(await signIn(t, password: "guess", from: "10.0.0.7:1").status == 401) }
        let refused = await signIn(t, password: "demo", from: "10.0.0.7:2")
        #expect(refused.status == 429)
        #expect(refused.headers["Retry-After"] == "3")
        #expect(refused.text.contains("too many failed sign-ins from 10.0.0.7: 20 allowed, then one every 3 s"), "\(refused.text)")
        #expect(t.simulator.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/auth/tokens") }.count == 20)
        #expect(await signIn(t, from: "10.0.0.8:1").status == 201)
        t.clock.advance(by: 3)
        #expect(await signIn(t, from: "10.0.0.7:3").status == 201)
        // Sign-ins that succeed cost nothing: a script running disco-cli command after command is never refused.
        for _ in 0..<50 { #expect(await signIn(t, from: "10.0.0.9:1").status == 201) }
    }

    @Test(arguments: [("127.0.0.1:5000", "127.0.0.1"), ("[::1]:5000", "[::1]"), ("[fe80::1]", "[fe80::1]"), ("unix", "unix")])
    func limitsCountAnAddressWithoutItsPort(remote: String, peer: String) {
        #expect(HTTPServerRequest(method: "GET", target: "/", remoteAddress: remote).peer == peer)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil])
    func aSignInIsJSONOnly(contentType: String?) async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let response = await signIn(t, contentType: contentType)
        #expect(response.status == 415, "\(response.text)")
        #expect(response.text.contains("Content-Type: application/json"), "\(response.text)")
        #expect(await signIn(t, contentType: "application/json; charset=utf-8").status == 201)
    }
}
