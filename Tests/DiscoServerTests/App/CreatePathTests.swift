import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// The way from a create request to a ready cluster: what runs side by side, and the timeline kept of it.
@Suite struct CreatePathTests {
    static let spec = #"{"name":"fast","master":{"image":"ubuntu-22.04","flavor":"m1.xlarge"},"worker":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":2,"externalNetwork":"public","components":{"spark":{}}}"#

    /// A token whose check and project inventory are cached: a create's one identity call left is its credential.
    func signedInWithInventory(_ t: TestApp) async throws -> (token: String, project: String) {
        let (token, project) = try await t.login()
        let plan = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: Self.spec)
        guard plan.status == 200 else { throw TestFailure("plan failed: \(plan.status) \(plan.text)") }
        return (token, project)
    }

    func isStackCreate(_ request: SimulatedCloud.RequestRecord) -> Bool {
        request.service == .orchestration && request.method == "POST" && request.path.hasSuffix("/stacks")
    }

    @Test func aCredentialRefusedLeavesNoStackAndNoCluster() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await signedInWithInventory(t)
        t.simulator.failNextRequests(to: .identity, count: 1, status: 403)
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        #expect(response.status >= 400, "\(response.text)")
        #expect(await t.service.list(projectID: project, includeDeleting: true).isEmpty)
        // The stack is created only once the record and its credential are durable: none was sent.
        #expect(t.simulator.requests.filter(isStackCreate).isEmpty)
    }

    /// Keystone made the credential but answered after the request was cancelled (the handler's deadline under
    /// load): the credential is revoked, not left in Keystone with no cluster behind it.
    @Test func aCreateCancelledWhileKeystoneMakesTheCredentialLeavesNoCredential() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await signedInWithInventory(t)
        t.simulator.delayAnswers(of: .identity, seconds: 20)
        let create = Task { await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec) }
        try await t.settle { t.simulator.applicationCredentialCount == 1 }  // after the token's revalidation
        create.cancel()
        // Keystone's answer to the create comes 20 s later, then the revoke's (settle moves the clock a second a step).
        let first = await withTaskGroup(of: HTTPServerResponse?.self) { group in
            group.addTask { await create.value }
            group.addTask { try? await t.settle(upTo: 100) { t.simulator.applicationCredentialCount == 0 }; return nil }
            var answer: HTTPServerResponse?
            for await next in group { answer = answer ?? next }
            return answer
        }
        #expect(t.simulator.applicationCredentialCount == 0)
        let answer = try #require(first)
        #expect(answer.status >= 500, "\(answer.text)")
        #expect(await t.service.list(projectID: project, includeDeleting: true).isEmpty)
        #expect(t.simulator.requests.filter(isStackCreate).isEmpty)
    }

    @Test func theTimelineIsShownOnTheViewsAndSummedInMetrics() async throws {
        let t = try await TestApp.make(timing: .realistic)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let record = try await t.service.get(id, projectID: project)
        let timeline = try #require(record.timeline)
        let signalled = record.components.map(\.name)
        #expect(timeline.map(\.phase) == [.validated, .inventoryChecked, .keysMade, .credentialMade, .stackCreated,
                                          .serversActive] + signalled.map { _ in .componentSignalled } + [.ready])
        #expect(timeline.compactMap(\.component) == signalled)
        #expect(timeline.map(\.milliseconds) == timeline.map(\.milliseconds).sorted())
        let servers = try #require(timeline.first { $0.phase == .serversActive })
        let last = try #require(timeline.last)
        #expect(last.milliseconds >= servers.milliseconds)

        let view = try await t.request("GET", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).json()
        let phases = try #require(view["timeline"] as? [[String: Any]])
        #expect(phases.compactMap { $0["phase"] as? String } == timeline.map(\.phase.rawValue))
        #expect((phases.last?["seconds"] as? Double) == timeline.last?.seconds)
        let events = try await t.request("GET", "/api/v1/clusters/\(id)/events", headers: [("X-Auth-Token", token)]).json()
        #expect((events["timeline"] as? [[String: Any]])?.count == timeline.count)
        let occi = await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token)])
        #expect(occi.text.contains("disco.timeline.ready="))
        #expect(occi.text.contains("disco.timeline.component_signalled.spark="))

        let metrics = await t.request("GET", "/metrics").text
        #expect(metrics.contains(#"disco_create_phase_seconds_count{phase="ready"} 1"#))
        #expect(metrics.contains(#"disco_create_phase_seconds_count{phase="component_signalled"} \#(signalled.count)"#))
        // The label set is the phases, whatever the components.
        let labels = Set(metrics.split(separator: "\n").filter { $0.hasPrefix("disco_create_phase_seconds_count") }
            .compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) })
        #expect(labels == Set(CreatePhase.allCases.map(\.rawValue)))
    }

    @Test func aReadyClusterIsNoLongerRead() async throws {
        let t = try await TestApp.make(timing: .realistic)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle(step: 0.1) { await t.state(of: id, project: project) == .ready }
        let readsAtReady = t.simulator.requests.filter { $0.service == .orchestration }.count
        for _ in 0..<50 {
            t.clock.advance(by: 1)
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        #expect(t.simulator.requests.filter { $0.service == .orchestration }.count == readsAtReady)
    }
    /// Once the master's floating IP exists, the outputs are read (the user has the master's address and can follow the
    /// install on the status page before ready; Heat resolves them while Nova builds the servers, not while the install
    /// signals come in), and once every server exists the workers' addresses too; the completed stack's outputs then
    /// come from one read each of what is still missing (the install signals' data; the addresses only if the workers'
    /// group was not seen before), never every address again.
    @Test func theMastersAddressesAreReadOnceItsFloatingIPExistsAndOnlyWhatIsMissingAtReady() async throws {
        var timing = SimulatedCloud.Timing.realistic
        timing.server = 6  // the floating IP 3 s before the master: polls 1 s apart see one, then the other
        let t = try await TestApp.make(timing: timing)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle(step: 0.1) { (try? await t.service.get(id, projectID: project).outputs["external_ip"]) != nil }
        let installing = try await t.service.get(id, projectID: project)
        let readBeforeReady = outputKeysRead(t)
        #expect(installing.state == .provisioning)
        #expect(installing.timeline?.contains { $0.phase == .serversActive } == false)
        #expect(installing.outputs["master_address"] != nil && installing.outputs["status_page"] != nil)
        #expect(installing.outputs["install_result"] == nil)
        let view = try await t.request("GET", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).json()
        #expect(view["externalIP"] as? String == installing.outputs["external_ip"])

        try await t.settle(step: 0.1) { await t.state(of: id, project: project) == .ready }
        let ready = try await t.service.get(id, projectID: project)
        #expect(ready.outputs["external_ip"] == installing.outputs["external_ip"])
        #expect(ready.outputs["install_result"]?.contains("spark") == true)
        let workers = try JSONDecoder().decode([String].self, from: Data(try #require(ready.outputs["worker_addresses"]).utf8))
        #expect(workers.count == 2 && workers.allSatisfy { !$0.isEmpty }, "\(workers)")
        // The outputs read one by one are those still missing at ready: the install signals' data, and the workers'
        // addresses unless a read saw every server. The master's came from the read once its floating IP existed.
        #expect(readBeforeReady.isEmpty, "\(readBeforeReady)")
        let keysRead = outputKeysRead(t)
        #expect(keysRead.filter { $0 == "install_result" }.count == 1, "\(keysRead)")
        #expect(Set(keysRead).isSubset(of: ["worker_addresses", "install_result"]), "\(keysRead)")
        #expect(keysRead.count == Set(keysRead).count, "\(keysRead)")
    }

    /// As on real Heat, the workers' group completes with the stack, after the install signals: the master's outputs
    /// come from the read once its floating IP existed, ready reads only the install signals' data, and the workers'
    /// addresses (a Nova read per worker, by Heat) are read just after ready, by a read of their own.
    @Test func whenTheWorkersGroupCompletesWithTheStackTheirAddressesAreReadAfterReady() async throws {
        var timing = SimulatedCloud.Timing.realistic
        timing.groupCompletion = 6
        let t = try await TestApp.make(timing: timing)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle(step: 0.1) {
            (try? await t.service.get(id, projectID: project).outputs["worker_addresses"]) != nil
        }
        let ready = try await t.service.get(id, projectID: project)
        #expect(ready.state == .ready)
        #expect(ready.outputs["external_ip"] != nil && ready.outputs["install_result"]?.contains("spark") == true)
        let workers = try JSONDecoder().decode([String].self, from: Data(try #require(ready.outputs["worker_addresses"]).utf8))
        #expect(workers.count == 2 && workers.allSatisfy { !$0.isEmpty }, "\(workers)")
        // One read when the master's floating IP existed; at ready the list of outputs and the install data; then a
        // read of its own.
        let outputReads = t.simulator.requests.filter { $0.service == .orchestration && $0.path.contains("/outputs") }
            .map { $0.path.components(separatedBy: "/outputs").last ?? "" }
        #expect(outputReads == ["", "/install_result", "", "/worker_addresses"], "\(outputReads)")
        #expect(fullStackReads(t) == 1)
    }

    /// The user's token goes to Heat as it is, not rescoped, and the cluster's credential is not used while it is good:
    /// a new token would be new to every service that sees it. From the user's sign-in to ready and the inventory read
    /// after it, nothing asks Keystone for a token.
    @Test func theUsersOwnTokenReachesHeatWithoutAnotherTokenBeingMade() async throws {
        let t = try await TestApp.make(timing: .realistic)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        t.simulator.clearRequests()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle(step: 0.1) { await t.state(of: id, project: project) == .ready }
        // The project's inventory is read again at ready: with the same token.
        try await t.settle(step: 0.1) { t.inventoryReads == 2 }
        #expect(t.simulator.requests.contains { $0.service == .orchestration && $0.method == "POST" })
        let tokensMade = t.simulator.requests.filter { $0.service == .identity && $0.method == "POST" && $0.path.hasSuffix("/auth/tokens") }
        #expect(tokensMade.isEmpty, "\(t.simulator.requests.map { "\($0.method) \($0.path)" })")
    }

    /// While the user's token is good, Heat sees it rather than the cluster's credential, for the create and for every
    /// read of the stack: a new credential's token costs each service that sees it a check with Keystone (several tenths
    /// of a second on a busy cloud, while it makes the stack). Without a user token at hand (after a restart), the
    /// credential's.
    @Test func theStackIsReadWithTheUsersTokenWhileOneIsGoodElseWithTheCredential() async throws {
        let first = try await TestApp.make(timing: .realistic, ttl: 600)
        let (token, project) = try await first.login()
        let created = await first.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await first.settle(step: 0.1) { await first.state(of: id, project: project) == .ready }
        let whileGood = first.simulator.requests.filter { $0.service == .orchestration }
        #expect(whileGood.filter { $0.method == "GET" }.count >= 5)
        #expect(whileGood.filter(\.byCredential).isEmpty, "\(whileGood.filter(\.byCredential))")

        let t = try await first.restarted()
        defer { Task { await t.stop() } }
        t.simulator.clearRequests()
        t.clock.advance(by: 601)
        try await t.settle(upTo: 100, step: 5) { await t.service.countsByState().isEmpty }
        let afterRestart = t.simulator.requests.filter { $0.service == .orchestration }
        #expect(afterRestart.contains { $0.method == "DELETE" })
        #expect(afterRestart.allSatisfy { $0.byCredential }, "\(afterRestart.filter { !$0.byCredential })")
    }

    /// Reads of the stack that resolve its outputs (those of its status alone say `resolve_outputs=false`).
    func fullStackReads(_ t: TestApp) -> Int {
        t.simulator.requests.filter {
            $0.service == .orchestration && $0.method == "GET" && !$0.query.contains("resolve_outputs=false")
                && $0.path.split(separator: "/").last.map { UUID(uuidString: String($0)) != nil } == true
        }.count
    }

    func outputKeysRead(_ t: TestApp) -> [String] {
        t.simulator.requests.filter { $0.service == .orchestration && $0.path.contains("/outputs/") }
            .map { $0.path.components(separatedBy: "/").last ?? "" }
    }

    /// Once every component has signalled, the stack is polled fast with one read a poll; its events are read again
    /// once it has settled.
    @Test func fastPollsReadTheStackAloneAndTheEventsOnceItSettles() async throws {
        var timing = SimulatedCloud.Timing.realistic
        timing.completion = 3
        let t = try await TestApp.make(timing: timing)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle(step: 0.1) { (try? await t.service.get(id, projectID: project).awaitsOnlyStackCompletion) == true }
        func reads(_ isWanted: (String) -> Bool) -> Int {
            t.simulator.requests.filter { $0.service == .orchestration && $0.method == "GET" && isWanted($0.path) }.count
        }
        let isEvents: (String) -> Bool = { $0.hasSuffix("/events") }
        let isStack: (String) -> Bool = { $0.split(separator: "/").last.map { UUID(uuidString: String($0)) != nil } == true }
        let (eventsBefore, stackBefore) = (reads(isEvents), reads(isStack))
        try await t.settle(step: 0.1) { await t.state(of: id, project: project) == .ready }
        #expect(reads(isStack) - stackBefore >= 10, "the stack was polled fast while Heat finished it")
        #expect(reads(isEvents) - eventsBefore == 1, "its events were read once, when it had settled")
        let record = try await t.service.get(id, projectID: project)
        #expect(record.timeline?.last?.phase == .ready)
    }

    func heatReads(_ t: TestApp) -> (events: Int, stack: Int) {
        let gets = t.simulator.requests.filter { $0.service == .orchestration && $0.method == "GET" }
        return (gets.count { $0.path.hasSuffix("/events") }, gets.count { $0.query.contains("resolve_outputs=false") })
    }

    /// Before every signal is in, a poll reads the stack's events alone (a database read in Heat; a read of the stack
    /// loads its template), and the stack itself every fifth poll.
    @Test func whileSignalsAreAwaitedPollsReadTheEventsAndTheStackEveryFifth() async throws {
        let t = try await TestApp.make(timing: .realistic(readySeconds: 60))
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle { (try? await t.service.get(id, projectID: project).stackReference) != nil }
        let before = heatReads(t)
        try await t.settle(upTo: 1_000, step: 0.25) { await t.state(of: id, project: project) == .installing }
        let after = heatReads(t)
        let (events, stack) = (after.events - before.events, after.stack - before.stack)
        #expect(events >= 10, "a poll a second while Heat made the stack: \(events) event reads")
        #expect(stack >= events / ClusterService.stackReadEvery - 1 && stack <= events / ClusterService.stackReadEvery + 1,
                "the stack read every fifth poll: \(stack) stack reads for \(events) event reads")
        try await t.settle(upTo: 1_000, step: 0.25) { await t.state(of: id, project: project) == .ready }
    }

    /// The stack's own event saying it failed has the stack read on the same poll: the failure and its reason are
    /// not left for the next fifth poll. The master fails after each of 5 boot times, so that the failure comes on
    /// each of the 5 polls between two reads of the stack.
    @Test(arguments: [10.0, 11.0, 12.0, 13.0, 14.0])
    func aStackFailureInTheEventsIsReadAtOnce(masterBootSeconds: Double) async throws {
        var timing = SimulatedCloud.Timing.realistic
        timing.server = masterBootSeconds
        let t = try await TestApp.make(timing: timing)
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        t.simulator.failResource(named: "master", reason: "No valid host was found")
        let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        let id = try #require(try created.json()["id"] as? String)
        try await t.settle { (try? await t.service.get(id, projectID: project).stackReference) != nil }
        try await t.settle(upTo: 1_000, step: 0.25) { await t.state(of: id, project: project) == .failed }
        let record = try await t.service.get(id, projectID: project)
        #expect(record.stateReason.contains("No valid host was found"), "\(record.stateReason)")
        // When Heat failed the stack (its event, by Heat's clock), and when the cluster was failed (DISCO's clock).
        let stackFailed = try #require(record.events.first { $0.message.hasPrefix("\(record.stackName): CREATE_FAILED") })
        let clusterFailed = try #require(record.events.last { $0.state == .failed })
        // One poll interval (1 s) and the clock's step (0.25 s) at most; the fifth poll's read would be up to 4 s late.
        #expect(clusterFailed.time.timeIntervalSince(stackFailed.time) <= 1.5,
                "seen on the first poll after it: \(clusterFailed.time.timeIntervalSince(stackFailed.time)) s later")
    }
}
