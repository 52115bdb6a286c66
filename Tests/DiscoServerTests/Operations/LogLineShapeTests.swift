import DiscoCore
import DiscoOpenStack
import Foundation
import Synchronization
import Testing
@testable import DiscoServer

/// Request and cluster lifecycle lines have one shape: the message first, then `key=value` fields, the cluster's id
/// among them (never inside the message).
@Suite struct LogLineShapeTests {
    @Test func requestAndLifecycleLinesShareTheirShape() async throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "disco-sm", level: .info) { line in lines.withLock { $0.append(line) } }
        let t = try await TestApp.make(logger: logger)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        t.simulator.failNextRequests(to: .orchestration, count: 8, status: 500)
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: LifecycleTests.spec)
        let id = try #require(try response.json()["id"] as? String)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let logged = lines.withLock { $0 }
        let request = try #require(logged.first { $0.contains(" route=/api/v1/clusters ") })
        #expect(request.range(of: #"^\S+ info disco-sm: request method=POST ms=[0-9.]+ peer=\S+ request\.id=\S+ route=/api/v1/clusters status=201$"#,
                              options: .regularExpression) != nil, "\(request)")
        let lifecycle = logged.filter { $0.contains("cluster=\(id)") }
        #expect(lifecycle.contains { $0.contains(" info disco-sm: cluster accepted cluster=\(id) ") }, "\(lifecycle)")
        let retry = try #require(lifecycle.first { $0.contains(" warning disco-sm: ") }, "\(logged)")
        #expect(retry.contains("; retrying in "), "\(retry)")
        #expect(retry.hasSuffix(" cluster=\(id)"), "\(retry)")
        #expect(!logged.contains { $0.contains("cluster \(id):") }, "\(logged)")
    }
}
