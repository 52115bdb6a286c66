import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// A project's inventory (images, flavors, networks, quota): read once for requests at the same time, read again when
/// one of its clusters changes what it uses, reused for a minute, and older (up to ten minutes) answered at once while
/// it is read again beside, unless it refuses the request.
@Suite struct InventoryCacheTests {
    static let spec = CreatePathTests.spec

    /// A token whose check and project inventory are cached.
    func signedInWithInventory(_ t: TestApp) async throws -> (token: String, project: String) {
        let (token, project) = try await t.login()
        let plan = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: Self.spec)
        guard plan.status == 200 else { throw TestFailure("plan failed: \(plan.status) \(plan.text)") }
        return (token, project)
    }

    /// `request` sent in a task of its own: the test can tell whether it waits for the cloud while the clock stands.
    func send(_ request: @escaping @Sendable () async -> HTTPServerResponse) -> Answer {
        let answer = Answer()
        Task { await answer.keep(await request()) }
        return answer
    }

    /// Whether `answer` comes within `seconds` of real time, the clock standing (a create that waits for the delayed
    /// cloud cannot be answered before the clock moves, however long this waits).
    func answered(_ answer: Answer, within seconds: Int) async -> Bool {
        for _ in 0..<(seconds * 100) {
            if await answer.response != nil { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return false
    }

    @Test func plansAtTheSameTimeShareOneInventoryRead() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, _) = try await t.login()
        t.simulator.delayAnswers(of: .compute, seconds: 3)
        let statuses = StatusCollector()
        for _ in 0..<3 {
            Task { await statuses.add(await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: Self.spec).status) }
        }
        // The simulated Nova answers once the clock has moved 3 s: move it until the plans are answered.
        try await t.settle { await statuses.all.count == 3 }
        #expect(await statuses.all == [200, 200, 200])
        #expect(t.inventoryReads == 1)
    }

    /// A cluster that becomes ready, and one deleted, change what the project uses: its inventory is read again then,
    /// so the next plan or create finds the quota figures read and up to date.
    @Test func readyAndDeletedClustersHaveTheirProjectsInventoryReadAgain() async throws {
        let t = try await TestApp.make(timing: .realistic)
        defer { Task { await t.stop() } }
        let (token, project) = try await signedInWithInventory(t)
        #expect(t.inventoryReads == 1)
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        #expect(t.inventoryReads == 1, "the create used the cached inventory")
        try await t.settle { await t.state(of: id, project: project) == .ready }
        try await t.settle { t.inventoryReads == 2 }
        let plan = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(plan.status == 200)
        #expect(t.inventoryReads == 2, "the plan after ready used the inventory read at ready")

        let deleted = await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)])
        #expect(deleted.status < 300, "\(deleted.text)")
        try await t.settle { await t.service.list(projectID: project, includeDeleting: true).isEmpty }
        try await t.settle { t.inventoryReads == 3 }
        let again = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(again.status == 200)
        #expect(t.inventoryReads == 3, "the plan after the delete used the inventory read when the stack was gone")
    }

    /// A read again that fails is said in the log, with the reason, and leaves nothing stale: the next plan reads the
    /// inventory itself.
    @Test func aFailedReadAgainIsLoggedAndTheNextPlanReadsTheInventory() async throws {
        let lines = LockedLines()
        let t = try await TestApp.make(timing: .realistic, logger: Logger(label: "test", level: .info, sink: { lines.append($0) }))
        defer { Task { await t.stop() } }
        let (token, project) = try await signedInWithInventory(t)
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        try await t.settle { t.inventoryReads == 2 }
        #expect(!lines.all.contains { $0.contains("inventory read failed") })

        t.simulator.failNextRequests(to: .compute, count: 1, status: 403)
        let deleted = await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)])
        #expect(deleted.status < 300, "\(deleted.text)")
        try await t.settle { lines.all.contains { $0.contains("inventory read failed") } }
        let warning = try #require(lines.all.first { $0.contains("inventory read failed") })
        #expect(warning.contains("warning") && warning.contains("403") && warning.contains(project), "\(warning)")
        #expect(!warning.contains(token))

        let reads = t.inventoryReads
        let plan = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(plan.status == 200)
        #expect(t.inventoryReads == reads + 1, "the plan read the inventory the failed read left unknown")
    }

    /// A create a minute after the last read does not wait for the cloud: the older inventory answers it, and a read
    /// again runs beside, for the next request.
    @Test func anInventoryPastItsMinuteIsUsedWhileItIsReadAgain() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, _) = try await signedInWithInventory(t)
        t.clock.advance(by: 120)
        t.simulator.delayAnswers(of: .compute, seconds: 3)  // answered once the clock has moved 3 s; it stands here
        let answer = send { await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec) }
        #expect(await answered(answer, within: 10), "the create waited for the inventory read")
        try await t.settle(step: 0.5) { await answer.response != nil }
        let created = try #require(await answer.response)
        #expect(created.status == 201, "\(created.text)")
        #expect(t.inventoryReads == 2, "the inventory is read again beside the create")
    }

    /// Ten minutes after the last read the inventory is too old to answer with: the create waits for the read.
    @Test func anInventoryPastTenMinutesIsReadBeforeTheCreate() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, _) = try await signedInWithInventory(t)
        t.clock.advance(by: 601)
        t.simulator.delayAnswers(of: .compute, seconds: 3)
        let answer = send { await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec) }
        #expect(!(await answered(answer, within: 1)), "the create used an inventory ten minutes old")
        try await t.settle(step: 0.5) { await answer.response != nil }
        let created = try #require(await answer.response)
        #expect(created.status == 201, "\(created.text)")
        #expect(t.inventoryReads == 2)
    }

    /// What an older inventory refuses is checked against a read of the cloud before the create or plan is refused:
    /// here the quota a stack deleted behind DISCO's back freed. Within the minute, the cached figures stand.
    @Test(arguments: [("/api/v1/clusters", 201), ("/api/v1/plan", 200)])
    func whatAnOlderInventoryRefusesIsCheckedAgainstTheCloudFirst(_ path: String, _ accepted: Int) async throws {
        let t = try await TestApp.make(quota: .init(instances: 3))  // one cluster of a master and 2 workers
        defer { Task { await t.stop() } }
        let (token, project, first, _) = try await t.readyCluster(spec: Self.spec)
        try await t.settle { t.inventoryReads == 2 }  // read again at ready: 3 of 3 instances used
        let record = try await t.service.get(first, projectID: project)
        let stackID = try #require(record.stackID)
        let stack = try #require(URL(string: "\(t.simulator.host)/heat/v1/\(project)/stacks/\(record.stackName)/\(stackID)"))
        let deleted = try await t.simulator.send(HTTPRequest(method: "DELETE", url: stack, headers: [("X-Auth-Token", token)]))
        #expect(deleted.status == 204)
        try await t.settle {
            (try? await t.simulator.send(HTTPRequest(method: "GET", url: stack, headers: [("X-Auth-Token", token)])).status) == 404
        }

        let refused = await t.request("POST", path, headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(refused.status == 400 && refused.text.contains("instances"), "\(refused.status) \(refused.text)")
        #expect(t.inventoryReads == 2)

        t.clock.advance(by: 120)
        let again = await t.request("POST", path, headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(again.status == accepted, "\(again.status) \(again.text)")
        #expect(t.inventoryReads == 3)
    }
}

/// Statuses of requests answered in other tasks.
private actor StatusCollector {
    private(set) var all: [Int] = []
    func add(_ status: Int) { all.append(status) }
}

/// A response answered in another task.
actor Answer {
    private(set) var response: HTTPServerResponse?
    func keep(_ response: HTTPServerResponse) { self.response = response }
}
