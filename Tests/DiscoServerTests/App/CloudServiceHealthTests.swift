import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// `/healthz` says which cloud service stopped giving working answers, since when and how, and `/metrics` counts
/// the failures by service and kind; both clear once the service answers again.
@Suite struct CloudServiceHealthTests {
    static let spec = #"{"name":"heatless","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"workers":1,"externalNetwork":"public"}"#

    @Test func heatAnswering503IsNamedOnHealthzAndCountedByKind() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let before = try await t.request("GET", "/healthz").json()
        #expect(before["status"] as? String == "ok")

        t.simulator.failNextRequests(to: .orchestration, count: 12, status: 503)
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(created.status == 201, "\(created.text)")
        try await t.settle { (try? await t.request("GET", "/healthz").json())?["status"] as? String == "degraded" }
        let degraded = try await t.request("GET", "/healthz", headers: [("X-Auth-Token", token)]).json()
        #expect(degraded["status"] as? String == "degraded", "\(degraded)")
        let orchestration = (degraded["services"] as? [String: String])?["orchestration"] ?? ""
        #expect(orchestration.hasPrefix("no working answer since "), "\(orchestration)")
        #expect(orchestration.hasSuffix("(unavailable: GET answered HTTP 503)") || orchestration.hasSuffix("(unavailable: POST answered HTTP 503)"),
                "\(orchestration)")
        // Any project's token reads it: no project id or stack name.
        #expect(!orchestration.contains(project) && !orchestration.contains("heatless"), "\(orchestration)")
        #expect((degraded["services"] as? [String: String])?["identity"] == "ok")

        let id = try #require(try created.json()["id"] as? String)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let healthy = try await t.request("GET", "/healthz", headers: [("X-Auth-Token", token)]).json()
        #expect(healthy["status"] as? String == "ok", "\(healthy)")
        #expect((healthy["services"] as? [String: String])?["orchestration"] == "ok")
        let metrics = await t.request("GET", "/metrics").text
        #expect(metrics.contains(#"disco_cloud_errors_total{service="orchestration",kind="unavailable"} "#), "\(metrics)")
    }
}
