import Foundation
import Testing
@testable import DiscoCore

@Suite struct StackTrackingTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func record() -> ClusterRecord {
        let components = ["base", "hadoop", "spark"].map { ResolvedComponent(name: $0, version: "1", reason: .requested) }
        var record = ClusterRecord(id: "c1", projectID: "p", projectName: "p", userID: "u", spec: .make(workers: 2),
                                   components: components, uiLinks: [],
                                   totals: ResourceTotals(instances: 3, vcpus: 3, ramMB: 3, diskGB: 3, floatingIPs: 1,
                                                          networks: 1, routers: 1, securityGroups: 1),
                                   stackName: "disco-c1", createdAt: t0)
        record.stackID = "s1"
        record.move(to: .provisioning, reason: "creating the stack", at: t0)
        return record
    }

    func event(_ id: String, _ resource: String, _ status: String, _ reason: String = "") -> StackEvent {
        StackEvent(id: id, resourceName: resource, resourceStatus: status, resourceStatusReason: reason, eventTime: t0)
    }

    func snapshot(_ status: StackStatus, reason: String = "", outputs: [String: String] = [:]) -> StackSnapshot {
        StackSnapshot(reference: StackReference(name: "disco-c1", id: "s1"), status: status, statusReason: reason, outputs: outputs)
    }

    @Test func followsCreateThroughSignalsToReady() {
        var r = record()
        r.observe(events: [event("e1", "network", "CREATE_COMPLETE"), event("e2", "master", "CREATE_COMPLETE")], now: t0)
        #expect(r.state == .installing)
        #expect(r.progress["base"]?.state == .installing)
        r.observe(events: [event("e3", "install_handle", "SIGNAL_COMPLETE", "Signal: status:SUCCESS reason:base ready")], now: t0)
        #expect(r.progress["base"]?.state == .ready)
        #expect(r.progress["hadoop"]?.state == .installing)
        #expect(r.progressPercent == 33)
        #expect(r.eventMarker == "e3")
        r.observe(snapshot: snapshot(.createInProgress), now: t0)
        #expect(r.state == .installing)
        r.observe(snapshot: snapshot(.createComplete, outputs: ["external_ip": "203.0.113.5"]), now: t0)
        #expect(r.state == .ready)
        #expect(r.outputs["external_ip"] == "203.0.113.5")
        #expect(r.progressPercent == 100)
    }

    /// Heat may record a quick install's signal before the master's completion (it sees the server active on its next
    /// check): the servers count as up from the signal, and the timeline stays in order.
    @Test func aSignalBeforeTheMastersCompletionMeansTheServersAreUp() {
        var r = record()
        let signal = StackEvent(id: "s0", resourceName: "install_handle", resourceStatus: "SIGNAL_COMPLETE",
                                resourceStatusReason: "Signal: status:SUCCESS reason:base ready", eventTime: t0.addingTimeInterval(8))
        r.observe(events: [signal], now: t0.addingTimeInterval(9))
        #expect(r.state == .installing)
        #expect(r.progress["base"]?.state == .ready)
        #expect(r.progress["hadoop"]?.state == .installing)
        let master = StackEvent(id: "m", resourceName: "master", resourceStatus: "CREATE_COMPLETE", resourceStatusReason: "",
                                eventTime: t0.addingTimeInterval(9))
        r.observe(events: [master], now: t0.addingTimeInterval(10))
        #expect(r.progress["hadoop"]?.state == .installing, "the master's late event starts nothing again")
        #expect(r.timeline?.map(\.phase) == [.serversActive, .componentSignalled])
        #expect(r.timeline?.map(\.milliseconds) == [8000, 8000])
    }

    @Test func theTimelineMarksServersEachSignalAndReadyOnce() {
        var r = record()
        r.observe(events: [event("e1", "master", "CREATE_COMPLETE")], now: t0.addingTimeInterval(9))
        #expect(!r.awaitsOnlyStackCompletion)
        for (n, name) in ["base", "hadoop", "spark"].enumerated() {
            let signal = StackEvent(id: "s\(n)", resourceName: "install_handle", resourceStatus: "SIGNAL_COMPLETE",
                                    resourceStatusReason: "Signal: status:SUCCESS reason:\(name) ready",
                                    eventTime: t0.addingTimeInterval(Double(10 + n)))
            r.observe(events: [signal, signal], now: t0.addingTimeInterval(20))
        }
        // Every component has signalled: only Heat's completion is awaited (the reconciler polls fast).
        #expect(r.awaitsOnlyStackCompletion)
        r.observe(snapshot: snapshot(.createComplete), now: t0.addingTimeInterval(21.5))
        r.observe(snapshot: snapshot(.createComplete), now: t0.addingTimeInterval(30))
        #expect(!r.awaitsOnlyStackCompletion)
        // Heat's times for the servers and signals, DISCO's for ready; one mark each.
        #expect(r.timeline?.map(\.phase) == [.serversActive, .componentSignalled, .componentSignalled, .componentSignalled, .ready])
        #expect(r.timeline?.compactMap(\.component) == ["base", "hadoop", "spark"])
        #expect(r.timeline?.map(\.milliseconds) == [0, 10_000, 11_000, 12_000, 21_500])
    }

    @Test func failureSignalAndFailedStackGiveTheReason() {
        var r = record()
        r.observe(events: [event("e1", "master", "CREATE_COMPLETE"),
                           event("e2", "install_handle", "SIGNAL_COMPLETE",
                                 "Signal: status:FAILURE reason:base failed on worker 1: apt-get failed")], now: t0)
        #expect(r.progress["base"]?.state == .failed)
        r.observe(snapshot: snapshot(.createFailed, reason: "WaitCondition failed", outputs: ["external_ip": "203.0.113.5"]), now: t0)
        #expect(r.state == .failed)
        #expect(r.stateReason.contains("WaitCondition failed"))
        #expect(r.stateReason.contains("apt-get failed"))
        // The master's address stays known, so the user can log in and read the install log.
        #expect(r.outputs["external_ip"] == "203.0.113.5")
    }

    @Test func staleCompleteDoesNotEndAScale() {
        var r = record()
        r.observe(snapshot: snapshot(.createComplete), now: t0)
        r.move(to: .scaling, reason: "scaling", at: t0)
        r.pendingAction = "UPDATE"
        r.desiredWorkers = 5
        r.observe(snapshot: snapshot(.createComplete), now: t0)
        #expect(r.state == .scaling)
        r.observe(events: [event("e9", "disco-c1", "UPDATE_IN_PROGRESS")], now: t0)
        r.observe(snapshot: snapshot(.updateComplete), now: t0)
        #expect(r.state == .ready)
        #expect(r.spec.workers == 5)
        #expect(r.stateReason == "scaled to 5 workers")
    }

    /// What ready's read left for later joins the outputs, without replacing any the record has (a newer read, after a
    /// scale, may have given them); a cluster being deleted takes none.
    @Test func outputsReadAfterReadyFillWhatIsMissing() {
        var r = record()
        r.observe(snapshot: snapshot(.createComplete, outputs: ["external_ip": "203.0.113.5", "install_result": "{}"]), now: t0)
        #expect(r.state == .ready)
        r.observe(lateOutputs: ["external_ip": "203.0.113.99", "worker_addresses": #"["10.0.0.5","10.0.0.6"]"#])
        #expect(r.outputs == ["external_ip": "203.0.113.5", "install_result": "{}", "worker_addresses": #"["10.0.0.5","10.0.0.6"]"#])
        r.move(to: .deleting, reason: "delete requested", at: t0)
        r.observe(lateOutputs: ["ssh_key_name": "k"])
        #expect(r.outputs["ssh_key_name"] == nil)
    }

    @Test func vanishedStackAndDeletes() {
        var r = record()
        r.observe(snapshot: nil, now: t0)
        #expect(r.state == .failed)
        r.move(to: .deleting, reason: "delete requested", at: t0)
        r.observe(snapshot: snapshot(.deleteFailed, reason: "port in use"), now: t0)
        #expect(r.state == .deleting && r.deleteAttempts == 1)
        r.observe(snapshot: nil, now: t0)
        #expect(r.state == .deleted)
    }

    @Test("allowed transitions", arguments: ClusterState.allCases)
    func transitions(from: ClusterState) {
        #expect(from.canMove(to: .deleted) == (from == .deleting || from == .deleted))
        #expect(from.canMove(to: .deleting) == (from != .deleted))
        #expect(ClusterState.deleted.canMove(to: from) == (from == .deleted))
    }
}
