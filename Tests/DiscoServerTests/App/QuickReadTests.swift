import Testing
@testable import DiscoServer

/// Which requests run on the HTTP event-loop thread.
@Suite struct QuickReadTests {
    @Test("quick reads", arguments: [
        ("GET", "/", true), ("HEAD", "/", true), ("GET", "/disco/abc", true), ("GET", "//disco//abc/", true),
        ("GET", "/api/v1/clusters/abc", true), ("HEAD", "/api/v1/clusters/abc", true),
        ("POST", "/disco/abc", false), ("DELETE", "/api/v1/clusters/abc", false), ("GET", "/disco/", false),
        ("GET", "/api/v1/clusters", false), ("GET", "/api/v1/clusters/abc/events", false), ("GET", "/api/v2/clusters/abc", false),
        ("GET", "/dashboard/app.js", false), ("GET", "/healthz", false), ("GET", "/metrics", false), ("GET", "/-/", false),
        ("GET", "/a/b/c/d/e", false), ("GET", "/disc/abc", false), ("GET", "/apix/v1/clusters/a", false),
    ])
    func quickRead(method: String, target: String, quick: Bool) {
        #expect(DiscoApplication.isQuickRead(HTTPServerRequest(method: method, target: target)) == quick)
    }
}
