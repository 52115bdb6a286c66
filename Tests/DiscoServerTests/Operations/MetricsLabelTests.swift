import Foundation
import Testing
@testable import DiscoServer

/// What a client sends never becomes a metrics label: routes are templates or `other`, methods known or `OTHER`.
@Suite struct MetricsLabelTests {
    private func requestSeries(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix("disco_http_requests_total{") }
    }

    @Test func uniqueUnknownPathsLeaveTheSeriesAndPageSizeFlat() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let segment = String(repeating: "x", count: 200)
        for i in 0..<100 { _ = await t.request("GET", "/\(segment)\(i)") }
        let before = await t.request("GET", "/metrics").text
        for i in 100..<20_000 { _ = await t.request(i % 2 == 0 ? "GET" : "BREW\(i)", "/\(segment)\(i)/y") }
        let after = await t.request("GET", "/metrics").text
        let added = Set(requestSeries(after).map { $0.split(separator: " ").first! })
            .subtracting(requestSeries(before).map { $0.split(separator: " ").first! })
        // Only the `OTHER` method and `/metrics` itself are new series.
        #expect(added.count <= 2, "\(added.prefix(5))")
        #expect(after.utf8.count < before.utf8.count + 400, "\(before.utf8.count) → \(after.utf8.count) bytes")
        #expect(after.contains(#"route="other",method="OTHER",status="404""#))
    }

    @Test func anInjectionPathAddsNoLine() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        _ = await t.request("GET", "/a%22%7D%201%0Adisco_clusters%7Bstate%3D%22ready%22%7D%20999%0A%23")
        _ = await t.request("GET", "/api/v1/a%22%7D%201%0Adisco_clusters%7Bstate%3D%22ready%22%7D%20999%0A%23")
        let text = await t.request("GET", "/metrics").text
        // The injected sample would be a line of its own (a histogram's own numbers may contain 999).
        #expect(!text.split(separator: "\n").contains(#"disco_clusters{state="ready"} 999"#), "\(text)")
        #expect(text.contains(#"disco_clusters{state="ready"} 0"#))
    }

    @Test func labelValuesAreEscapedAsTheExpositionFormatSays() {
        #expect(Metrics.escape(#"a"}\ b"# + "\n") == #"a\"}\\ b\n"#)
        #expect(Metrics.escape("/api/v1/clusters/{id}") == "/api/v1/clusters/{id}")
    }

    @Test func failedRequestsCountUnderTheirRouteTemplate() {
        let router = DiscoApplication.router
        #expect(router.label(for: "/api/v1/clusters/abc/ssh-key") == "/api/v1/clusters/{id}/ssh-key")
        #expect(router.label(for: "/api/v1/clusters/abc/nosuch") == "other")
        #expect(router.label(for: "/api/v1/nosuch") == "other")
        #expect(router.label(for: "/disco/abc") == "/disco/{id}")
        #expect(router.label(for: "/x\n1") == "other")
    }
}
