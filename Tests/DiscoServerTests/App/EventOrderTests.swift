import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// A cluster's events read in time order, also when a restart catches up on what Heat did meanwhile.
@Suite struct EventOrderTests {
    @Test func eventsCaughtUpAfterARestartStayInTimeOrder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-events-\(UUID().uuidString)")
        let first = try await TestApp.make(timing: .realistic, stateDirectory: directory)
        let (token, project) = try await first.login()
        let response = await first.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: LifecycleTests.spec)
        let id = try #require(try response.json()["id"] as? String)
        try await first.settle(step: 0.5) { (try? await first.service.get(id, projectID: project).stackID) != nil }
        // Down while Heat builds the servers and the nodes signal; the next service catches up on their events.
        await first.service.stop()
        first.clock.advance(by: 120)
        let t = try await first.restarted()
        defer { Task { await t.stop() } }
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let events = try await t.service.get(id, projectID: project).events
        let times = events.map(\.time)
        #expect(times == times.sorted(), "\(events.map { "\($0.time.timeIntervalSince1970) \($0.message)" })")
        #expect(events.contains { $0.message == "spark ready" })
    }
}
