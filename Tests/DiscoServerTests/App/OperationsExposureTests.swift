import DiscoCore
import Foundation
import Testing
@testable import DiscoServer

/// Issue 22, finding 9: what an anonymous caller learns from `/healthz` and `/metrics`, the operator's option to
/// require a token there, the `Host` allow-list against DNS rebinding, and `/` answering GET and HEAD only.
@Suite struct OperationsExposureTests {
    @Test func anAnonymousHealthProbeGetsStatusVersionAndCountsButNoCloudDetails() async throws {
        // On OpenStack the cloud's display name is its Keystone URL.
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let anonymous = await t.request("GET", "/healthz")
        #expect(anonymous.status == 200)
        let object = try anonymous.json()
        #expect(Set(object.keys) == ["status", "version", "clusters", "startupCheck"], "\(object)")
        #expect(object["status"] as? String == "ok")
        #expect(object["version"] as? String == DiscoVersion.current)

        let full = try await t.request("GET", "/healthz", headers: [("X-Auth-Token", try await t.token())]).json()
        for key in ["cloud", "identity", "services", "orphanStacks", "orphanCredentials", "version", "clusters"] {
            #expect(full[key] != nil, "\(key) missing: \(full)")
        }
        // A token that is sent must be good, even where none is needed.
        #expect(await t.request("GET", "/healthz", headers: [("X-Auth-Token", "not-a-token")]).status == 401)
    }

    @Test func theKeystoneURLIsNotShownToAnAnonymousHealthProbe() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-exposure-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        var config = ServerConfiguration(stateDirectory: state.path)
        config.cloud = .openstack
        config.designURI = "http://keystone.invalid:5000/v3"
        config.allowedHosts = try HostAllowList(parsing: "disco.test")
        let manager = try await ServiceManager.make(config, logger: .disabled)
        defer { Task { await manager.service.stop() } }
        let response = await manager.application.handle(HTTPServerRequest(method: "GET", target: "/healthz",
                                                                          headers: ["Host": "disco.test"]))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200)
        #expect(!text.contains("keystone.invalid"), "\(text)")
    }

    @Test(arguments: ["/healthz", "/metrics"])
    func withTheOptionSetOperationsNeedAValidToken(path: String) async throws {
        let t = try await TestApp.make(configure: { $0.operationsRequireToken = true })
        defer { Task { await t.stop() } }
        let anonymous = await t.request("GET", path)
        #expect(anonymous.status == 401)
        #expect(anonymous.text.contains("\(path) needs a token on this server ([service_manager] operations_require_token = true)")
                && anonymous.text.contains("X-Auth-Token is missing"), "\(anonymous.text)")
        #expect(await t.request("GET", path, headers: [("X-Auth-Token", "not-a-token")]).status == 401)
        let authorised = await t.request("GET", path, headers: [("X-Auth-Token", try await t.token())])
        #expect(authorised.status == 200, "\(authorised.text)")
        // Without the option both stay open.
        let open = try await TestApp.make()
        defer { Task { await open.stop() } }
        #expect(await open.request("GET", path).status == 200)
    }

    /// The in-process app listens (as configured) on 127.0.0.1.
    @Test(arguments: [
        ("localhost", true), ("localhost:8888", true), ("LOCALHOST", true), ("127.0.0.1", true), ("127.0.0.1:8888", true),
        ("127.45.6.7:1", true), ("[::1]", true), ("[::1]:8888", true), ("[0:0::1]:80", true), ("disco.test:8888", true),
        ("evil.example", false), ("evil.example:8888", false), ("localhost.evil.example", false), ("127.0.0.1.evil.example", false),
        ("128.0.0.1", false), ("[::2]:8888", false), ("localhost:88x", false), ("[::1", false), ("", false),
    ])
    func aLoopbackListenerAnswersLoopbackAndListedHostsOnly(host: String, answered: Bool) async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let response = await t.app.handle(HTTPServerRequest(method: "GET", target: "/api/v1/components", headers: ["Host": host]))
        if answered {
            #expect(response.status == 200, "\(host): \(response.status)")
        } else {
            #expect(response.status == 421, "\(host): \(response.status)")
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.contains("does not answer to the host") && text.contains("[service_manager] allowed_hosts"), "\(text)")
            #expect(response.headers["Content-Type"] == "application/json")
        }
    }

    @Test func aRebindingNameGets421OnEveryRouteAndARequestWithoutHostPasses() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        for path in ["/", "/healthz", "/metrics", "/dashboard/", "/-/", "/no/such"] {
            let response = await t.app.handle(HTTPServerRequest(method: "GET", target: path, headers: ["Host": "attacker.example"]))
            #expect(response.status == 421, "\(path): \(response.status)")
        }
        // HTTP/1.0 without Host: not a browser.
        let bare = await t.app.handle(HTTPServerRequest(method: "GET", target: "/healthz", version: "HTTP/1.0"))
        #expect(bare.status == 200)
    }

    @Test func aListenerOnAllAddressesIsNotRestrictedUnlessNamesAreListed() throws {
        let none = HostAllowList()
        #expect(!none.restricts(listeningOn: "0.0.0.0") && !none.restricts(listeningOn: "::") && !none.restricts(listeningOn: "192.0.2.1"))
        #expect(none.restricts(listeningOn: "127.0.0.1") && none.restricts(listeningOn: "::1") && none.restricts(listeningOn: "localhost"))
        let listed = try HostAllowList(parsing: "disco.example.org")
        #expect(listed.restricts(listeningOn: "0.0.0.0"))
        #expect(listed.allows("disco.example.org:443") && listed.allows("DISCO.example.org.") && listed.allows("localhost"))
        #expect(!listed.allows("other.example.org"))
        let any = try HostAllowList(parsing: "*")
        #expect(!any.restricts(listeningOn: "127.0.0.1") && any.allows("anything.example"))
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "TRACE"])
    func theRootAnswersGETAndHEADOnly(method: String) async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let response = await t.request(method, "/")
        #expect(response.status == 405, "\(method) /: \(response.status)")
        #expect(response.headers["Allow"] == "GET, HEAD")
        #expect(response.text.contains("\(method) is not supported here; use GET, HEAD"), "\(response.text)")
        #expect(await t.request("GET", "/").status == 200)
        #expect(await t.request("HEAD", "/").status == 200)
    }
}
