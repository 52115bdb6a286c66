import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// Health of ready clusters on the simulated cloud, through the REST and OCCI APIs and /metrics: each transition a
/// fault causes, the `check` action, and the periodic reads.
@Suite struct ClusterHealthTests {
    static let spec = #"{"name":"vital","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":2,"externalNetwork":"public","components":{"hadoop":{}}}"#

    func readyCluster(_ t: TestApp) async throws -> (token: String, project: String, id: String, stack: String) {
        try await t.readyCluster(spec: Self.spec)
    }

    func check(_ t: TestApp, _ token: String, _ id: String) async throws -> [String: Any] {
        let response = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                       body: #"{"action":"check"}"#)
        #expect(response.status == 202, "\(response.text)")
        return try #require(try response.json()["health"] as? [String: Any], "no health in \(response.text)")
    }

    @Test func daemonFaultsMoveACheckedClusterThroughYellowRedAndBackToGreen() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id, stack) = try await readyCluster(t)

        #expect(try await check(t, token, id)["status"] as? String == "green")

        t.simulator.stopDaemon("hadoop-datanode", on: "worker1", ofStack: stack)
        let yellow = try await check(t, token, id)
        #expect(yellow["status"] as? String == "yellow")
        let reasons = try #require(yellow["reasons"] as? [[String: Any]])
        #expect(reasons.first?["component"] as? String == "hadoop")
        #expect(reasons.first?["daemon"] as? String == "hadoop-datanode")
        #expect(reasons.first?["node"] as? String == "worker1")

        // OCCI shows the same.
        let occi = await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Accept", "text/plain")])
        #expect(occi.text.contains(#"disco.health="yellow""#), "\(occi.text)")
        #expect(occi.text.contains("hadoop: hadoop-datanode is failed (failed) on worker1"))

        t.simulator.startDaemon("hadoop-datanode", on: "worker1", ofStack: stack)
        #expect(try await check(t, token, id)["status"] as? String == "green")

        t.simulator.stopDaemon("hadoop-namenode", on: "master", ofStack: stack)
        let red = try await check(t, token, id)
        #expect(red["status"] as? String == "red")
        let metrics = await t.request("GET", "/metrics")
        #expect(metrics.text.contains(#"disco_clusters_health{health="red"} 1"#), "\(metrics.text)")

        // Each change is an event.
        let events = try await t.service.get(id, projectID: project).events.map(\.message)
        #expect(events.contains("health green"))
        #expect(events.contains { $0.hasPrefix("health green → yellow: hadoop: hadoop-datanode is failed (failed) on worker1 (") })
        #expect(events.contains("health yellow → green"))
        #expect(events.contains { $0.hasPrefix("health green → red: hadoop: hadoop-namenode is failed") })
    }

    @Test func periodicReadsFindAWorkerCutOffAndAMasterThatStopsAnsweringIsRedAfterThreeReads() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (_, project, id, stack) = try await readyCluster(t)
        // The monitor reads a newly ready cluster within seconds, then every 60 s (±10 %).
        try await t.settle(upTo: 30) { (try? await t.service.get(id, projectID: project).health?.status) == .green }

        t.simulator.setUnreachable("worker0", ofStack: stack)
        try await t.settle(upTo: 80) { (try? await t.service.get(id, projectID: project).health?.status) == .yellow }
        let yellow = try await t.service.get(id, projectID: project).health
        #expect(yellow?.reasonText.hasPrefix("worker0 (") == true)
        #expect(yellow?.reasonText.hasSuffix("is unreachable from the master: timed out after 5 s") == true)

        t.simulator.setUnreachable("master", ofStack: stack)
        try await t.settle(upTo: 300) { (try? await t.service.get(id, projectID: project).health?.status) == .red }
        let red = try await t.service.get(id, projectID: project).health
        #expect(red?.failedReads == HealthAssessment.failedReadsForRed)
        #expect(red?.reasonText.hasPrefix("the master's health document could not be read (3 checks in a row)") == true)
    }

    /// A second check while Heat still runs the first one (a double click on the dashboard's Check now) reads health
    /// all the same, instead of answering Heat's 409.
    /// A check reads health only: it leaves the stack to the user's next action (Heat's own stack check would hold it
    /// in CHECK_IN_PROGRESS, and a scale sent meanwhile would be refused).
    @Test func aCheckLeavesTheStackFreeForAScaleRightAfter() async throws {
        let t = try await TestApp.make(timing: .init(resource: 0, server: 0, signal: 0, delete: 0, action: 30))
        defer { Task { await t.stop() } }
        let (token, _, id, stack) = try await readyCluster(t)
        #expect(try await check(t, token, id)["status"] as? String == "green")
        t.simulator.stopDaemon("hadoop-datanode", on: "worker0", ofStack: stack)
        #expect(try await check(t, token, id)["status"] as? String == "yellow")
        let scale = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                    body: #"{"action":"scale","workers":3}"#)
        #expect(scale.status == 202, "\(scale.text)")
    }

    @Test func aSuspendedClusterHasNoHealthAndCannotBeChecked() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id, _) = try await readyCluster(t)
        _ = try await check(t, token, id)
        let suspend = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                      body: #"{"action":"suspend"}"#)
        #expect(suspend.status == 202)
        try await t.settle { await t.state(of: id, project: project) == .suspended }
        #expect(try await t.service.get(id, projectID: project).health == nil)
        let refused = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                      body: #"{"action":"check"}"#)
        #expect(refused.status == 409)
        #expect(refused.text.contains("check needs a ready cluster"), "\(refused.text)")
    }

    @Test func theOCCIActionChecksAndIsOfferedOnReadyClusters() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id, stack) = try await readyCluster(t)
        let read = await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Accept", "text/occi")])
        #expect(read.headers["Link"]?.contains("?action=check") == true || read.text.contains("?action=check"), "\(read.headers) \(read.text)")
        t.simulator.setDiskFree(1, on: "master", ofStack: stack)
        let act = await t.request("POST", "/disco/\(id)?action=check", headers: [
            ("X-Auth-Token", token), ("Content-Type", "text/occi"),
            ("Category", #"check; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action""#)])
        #expect(act.status == 200, "\(act.text)")
        let health = try await t.service.get(id, projectID: project).health
        #expect(health?.status == .red)
        #expect(health?.reasonText.hasPrefix("disk / on master (") == true)
    }
}
