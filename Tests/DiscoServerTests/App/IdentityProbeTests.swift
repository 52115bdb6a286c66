import DiscoCore
import Foundation
import Testing
@testable import DiscoServer

/// A `design_uri` that is not Keystone (a 404, a 5xx, nothing listening) is named as such, never as the user's
/// wrong password or token.
@Suite struct IdentityProbeTests {
    /// The service manager over `designURI`, its log lines, and a request helper.
    func withManager(designURI: String, _ body: (ServiceManager, @escaping @Sendable () -> [String]) async throws -> Void) async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        var config = ServerConfiguration(stateDirectory: state.path)
        config.cloud = .openstack
        config.designURI = designURI
        config.allowedHosts = try HostAllowList(parsing: "disco.test")
        let lines = LockedLines()
        let manager = try await ServiceManager.make(config, logger: Logger(label: "test", level: .info, sink: { lines.append($0) }))
        try await body(manager, { lines.all })
        await manager.service.stop()
    }

    func call(_ manager: ServiceManager, _ method: String, _ target: String, token: String? = nil, body: String = "") async -> HTTPServerResponse {
        var headers = HTTPHeaders([("Host", "disco.test:8888")])
        if let token { headers.add("X-Auth-Token", token) }
        if !body.isEmpty { headers.add("Content-Type", "application/json") }
        return await manager.application.handle(HTTPServerRequest(method: method, target: target, headers: headers, body: Data(body.utf8)))
    }

    func expectDesignURIBlamed(_ response: HTTPServerResponse, _ detail: String) {
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 503, "\(text)")
        #expect(text.contains("check [service_manager] design_uri"), "\(text)")
        #expect(text.contains(detail), "\(text)")
        #expect(!text.contains("password"), "\(text)")
        #expect(!text.contains("token is invalid"), "\(text)")
    }

    @Test(arguments: [404, 500])
    func aDesignURIThatIsNotKeystoneIsNamedAtStartAndToUsers(status: Int) async throws {
        try await withServer(handler: { _ in .text(status, "<html><body>nothing here</body></html>") }) { _, port in
            try await withManager(designURI: "http://127.0.0.1:\(port)/v3") { manager, log in
                #expect(log().contains { $0.contains("identity service answered HTTP \(status)") && $0.contains("design_uri") },
                        "\(log())")
                let signIn = await call(manager, "POST", "/api/v1/tokens", body: #"{"username":"demo","password":"demo"}"#)
                expectDesignURIBlamed(signIn, "answered HTTP \(status)")
                let list = await call(manager, "GET", "/api/v1/clusters", token: "gAAAA-some-token")
                expectDesignURIBlamed(list, "answered HTTP \(status)")
            }
        }
    }

    @Test func anUnreachableKeystoneIsNamed() async throws {
        // A port that was just bound and released: nothing listens there.
        let port = try await withServer { _, port in port }
        try await withManager(designURI: "http://127.0.0.1:\(port)/v3") { manager, _ in
            let signIn = await call(manager, "POST", "/api/v1/tokens", body: #"{"username":"demo","password":"demo"}"#)
            expectDesignURIBlamed(signIn, "is unreachable")
        }
    }
}

/// Log lines collected from a ``Logger`` sink.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

extension IdentityProbeTests {
    @Test func healthIsDegradedWhileKeystoneIsUnreachable() async throws {
        let port = try await withServer { _, port in port }
        try await withManager(designURI: "http://127.0.0.1:\(port)/v3") { manager, _ in
            // Anonymous: degraded, without the problem's text (it names the Keystone URL).
            let response = await call(manager, "GET", "/healthz")
            let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            #expect(response.status == 200)
            #expect(object["status"] as? String == "degraded")
            #expect(object["identity"] == nil && object["cloud"] == nil, "\(object)")
            #expect(!String(decoding: response.body, as: UTF8.self).contains("127.0.0.1:\(port)"))
            // A token cannot be checked: the caller hears that Keystone is at fault.
            expectDesignURIBlamed(await call(manager, "GET", "/healthz", token: "gAAAA-some-token"), "is unreachable")
        }
    }
}

extension IdentityProbeTests {
    @Test func healthIsOKWhenKeystoneAnswers() async throws {
        let app = try await TestApp.make()
        defer { Task { await app.stop() } }
        let object = try await app.request("GET", "/healthz", headers: [("X-Auth-Token", try await app.token())]).json()
        #expect(object["status"] as? String == "ok")
        #expect(object["identity"] as? String == "ok")
    }
}
