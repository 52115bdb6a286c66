import DiscoCore
import Testing
@testable import DiscoServer

/// Behind a TLS reverse proxy (issue 19, item 4): from a trusted proxy, `Forwarded` or `X-Forwarded-Proto` /
/// `X-Forwarded-Host` decide the scheme and host of OCCI's absolute links; from anyone else they change nothing.
@Suite struct ForwardedHeadersTests {
    static func app(trusting proxies: String) async throws -> TestApp {
        let trusted = try TrustedProxies(parsing: proxies)
        return try await TestApp.make(configure: { $0.trustedProxies = trusted })
    }

    /// Creates a cluster through OCCI from `peer` with `headers`; its Location.
    static func create(_ t: TestApp, token: String, from peer: String, headers: [(String, String)]) async throws -> String {
        let created = await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: OCCIAPITests.readmeAttributes)
                                          + headers, from: peer)
        #expect(created.status == 201, "\(created.text)")
        return try #require(created.headers["Location"])
    }

    @Test func aTrustedProxySetsTheSchemeAndHostOfLinks() async throws {
        let t = try await Self.app(trusting: "10.0.0.7, ::1")
        defer { Task { await t.stop() } }
        let (token, _) = try await t.login()
        let location = try await Self.create(t, token: token, from: "10.0.0.7:40000",
                                             headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "disco.example.org")])
        #expect(location.hasPrefix("https://disco.example.org/disco/"), "\(location)")
        let id = String(location.split(separator: "/").last!)
        // RFC 7239: the last element is the one the proxy in front of DISCO added.
        let listed = await t.request("GET", "/disco/", headers: [("X-Auth-Token", token), ("Accept", "text/occi"),
                                                                 ("Forwarded", #"for=192.0.2.1;host=evil.example;proto=http, for=198.51.100.2;proto=https;host="disco.example.org:8443""#)],
                                     from: "[::1]:40000")
        #expect(listed.headers["X-OCCI-Location"] == "https://disco.example.org:8443/disco/\(id)")
    }

    @Test func forwardedHeadersFromAnUntrustedPeerOrWithBadValuesChangeNothing() async throws {
        let t = try await Self.app(trusting: "10.0.0.7")
        defer { Task { await t.stop() } }
        let (token, _) = try await t.login()
        let forged = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"), ("Forwarded", "proto=https;host=evil.example")]
        let untrusted = try await Self.create(t, token: token, from: "10.0.0.8:40000", headers: forged)
        #expect(untrusted.hasPrefix("http://disco.test:8888/disco/"), "\(untrusted)")
        let badValues = try await Self.create(t, token: token, from: "10.0.0.7:40000",
                                              headers: [("X-Forwarded-Proto", "gopher"), ("X-Forwarded-Host", "a b/c")])
        #expect(badValues.hasPrefix("http://disco.test:8888/disco/"), "\(badValues)")
    }

    @Test func withoutTrustedProxiesNoForwardedHeaderCounts() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, _) = try await t.login()
        let location = try await Self.create(t, token: token, from: "127.0.0.1:40000",
                                             headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example")])
        #expect(location.hasPrefix("http://disco.test:8888/disco/"), "\(location)")
    }
}
