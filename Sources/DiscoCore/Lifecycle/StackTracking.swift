public import Foundation

/// How a cluster record follows its Heat stack: pure state transitions from events and stack reads.
extension ClusterRecord {
    /// The resource whose completion means the infrastructure is up and the install has begun.
    static let masterResource = "master"
    /// The master's floating IP, made before the master: the outputs made of addresses but the workers' are final then.
    static let masterFloatingIPResource = "master_floating_ip"
    /// The workers' resource group.
    static let workersResource = "workers"
    /// The output carrying the install signals' data (the only one that changes once every server exists).
    static let installResultOutput = "install_result"
    /// The output listing the workers' addresses (final once the workers' group exists).
    static let workerAddressesOutput = "worker_addresses"
    /// The wait condition handle the install scripts signal.
    static let signalResource = "install_handle"

    /// Applies Heat events (oldest first) to the record. Their events and the timeline take Heat's times.
    public mutating func observe(events: [StackEvent], now: Date) {
        for event in events {
            eventMarker = event.id
            // When it happened, by Heat's clock; an event without a time counts as seen now.
            let time = event.eventTime.timeIntervalSince1970 > 0 ? event.eventTime : now
            let status = StackStatus(event.resourceStatus)
            if event.resourceName == stackName, let action = pendingAction, status.action == action {
                pendingActionStarted = true
            }
            if event.resourceName == Self.signalResource, event.resourceStatus.contains("SIGNAL") {
                applySignal(reason: event.resourceStatusReason, at: time)
            } else if event.resourceName == Self.masterResource, event.resourceStatus == "CREATE_COMPLETE", state == .provisioning {
                serversCameUp(at: time)
            } else if status.isFailed, !event.resourceStatusReason.isEmpty {
                note("\(event.resourceName): \(event.resourceStatus): \(event.resourceStatusReason)", at: time)
            }
        }
    }

    /// The master is up: the install has begun, with the first component in install order.
    mutating func serversCameUp(at time: Date) {
        mark(.serversActive, at: time)
        move(to: .installing, reason: "servers are up; installing frameworks", at: time)
        if let first = components.first, progress[first.name]?.state == .pending {
            progress[first.name] = ComponentProgress(state: .installing, updatedAt: time)
        }
    }

    /// Reads a wait condition signal: Heat records `Signal: status:SUCCESS reason:hadoop ready` (or the data id).
    mutating func applySignal(reason text: String, at time: Date) {
        let isFailure = text.contains("FAILURE")
        let reason = text.range(of: "reason:").map { String(text[$0.upperBound...]) } ?? text
        if !isFailure, reason.hasPrefix("worker ") {  // a worker installed (its signal counts toward the wait)
            note(reason.trimmingCharacters(in: .whitespaces), at: time)
            return
        }
        let words = reason.split(whereSeparator: { $0 == " " || $0 == "@" || $0 == ":" || $0 == "," }).map(String.init)
        guard let name = words.first(where: { progress[$0] != nil }) else {
            note("install signal: \(text.prefix(300))", at: time)
            return
        }
        let detail = reason.trimmingCharacters(in: .whitespaces)
        if isFailure {
            progress[name] = ComponentProgress(state: .failed, detail: detail, updatedAt: time)
            note("\(name) failed: \(detail)", at: time)
            return
        }
        // A component's signal comes from a master that is up, also when Heat records the master's completion after
        // it (it notices the server active on its next check, and a quick install signals first).
        if state == .provisioning { serversCameUp(at: time) }
        progress[name] = ComponentProgress(state: .ready, detail: detail, updatedAt: time)
        if state == .installing { mark(.componentSignalled, component: name, at: time) }
        note("\(name) ready", at: time)
        // The next component in install order is now being installed.
        if let next = components.first(where: { progress[$0.name]?.state == .pending }) {
            progress[next.name] = ComponentProgress(state: .installing, updatedAt: time)
        }
    }

    /// Whether a create waits only for Heat to complete the stack: every component has signalled ready.
    public var awaitsOnlyStackCompletion: Bool {
        (state == .provisioning || state == .installing) && !progress.isEmpty
            && progress.values.allSatisfy { $0.state == .ready }
    }

    /// Keeps outputs read while the stack is still in progress (its servers are up): the addresses are final, and a
    /// user can follow the install on the status page before the cluster is ready. The read once it completes
    /// replaces them all.
    public mutating func observe(earlyOutputs: [String: String]) {
        guard state.isBeingCreated else { return }
        outputs.merge(earlyOutputs) { _, new in new }
    }

    /// Keeps outputs read after ready (what its read left for later: the workers' addresses). Those the record has
    /// stay: a newer read (after a scale) may have replaced them.
    public mutating func observe(lateOutputs: [String: String]) {
        guard state != .deleting, state != .deleted else { return }
        outputs.merge(lateOutputs) { current, _ in current }
    }

    /// Applies a stack read (`nil` when the stack does not exist).
    public mutating func observe(snapshot: StackSnapshot?, now: Date) {
        guard let snapshot else {
            if state == .deleting {
                move(to: .deleted, reason: "stack deleted", at: now)
            } else if state != .accepted && state != .deleted {
                move(to: .failed, reason: "the stack no longer exists in the cloud", at: now)
            }
            return
        }
        if stackID == nil { stackID = snapshot.reference.id }
        stackStatus = snapshot.status.rawValue
        stackStatusReason = snapshot.statusReason
        let status = snapshot.status
        if let action = pendingAction, status.action == action, status.isInProgress { pendingActionStarted = true }
        if status.isComplete, !snapshot.outputs.isEmpty { outputs = snapshot.outputs }
        // A failed stack's resolved outputs (the master's address) stay too: the user logs in to see why.
        if status.isFailed { outputs.merge(snapshot.outputs) { _, new in new } }

        switch state {
        case .accepted, .provisioning, .installing:
            if status == .createComplete {
                for name in progress.keys where progress[name]?.state != .ready {
                    progress[name] = ComponentProgress(state: .ready, detail: "ready", updatedAt: now)
                }
                move(to: .ready, reason: "cluster ready", at: now)
                mark(.ready, at: now)
            } else if status.isFailed || status.action == "ROLLBACK" {
                failInstall(reason: snapshot.statusReason, at: now)
            } else if state == .accepted {
                move(to: .provisioning, reason: "creating the stack", at: now)
            }
        case .scaling, .suspending, .resuming:
            guard let action = pendingAction, status.action == action, pendingActionStarted else { return }
            if status.isComplete {
                finishPendingAction(at: now)
            } else if status.isFailed {
                let what = action == "UPDATE" ? "scaling" : action.lowercased()
                pendingAction = nil
                desiredWorkers = nil
                move(to: .failed, reason: "\(what) failed: \(snapshot.statusReason)", at: now)
            }
        case .deleting:
            if status == .deleteComplete {
                move(to: .deleted, reason: "stack deleted", at: now)
            } else if status == .deleteFailed {
                deleteAttempts += 1
                note("delete failed (attempt \(deleteAttempts)): \(snapshot.statusReason); retrying", at: now)
            }
        case .ready, .suspended, .failed, .deleted:
            break
        }
    }

    private mutating func failInstall(reason: String, at now: Date) {
        for (name, item) in progress where item.state == .installing {
            progress[name]?.state = .failed
        }
        let failedComponent = components.first { progress[$0.name]?.state == .failed }
        var text = reason.isEmpty ? "the stack failed" : reason
        if let failedComponent, let detail = progress[failedComponent.name]?.detail, !detail.isEmpty, !text.contains(detail) {
            text += " (\(failedComponent.name): \(detail))"
        }
        move(to: .failed, reason: text, at: now)
    }

    private mutating func finishPendingAction(at now: Date) {
        switch pendingAction {
        case "UPDATE":
            let workers = desiredWorkers ?? spec.workers
            spec.workers = workers
            desiredWorkers = nil
            move(to: .ready, reason: "scaled to \(workers) worker\(workers == 1 ? "" : "s")", at: now)
        case "SUSPEND":
            move(to: .suspended, reason: "suspended", at: now)
        case "RESUME":
            move(to: .ready, reason: "resumed", at: now)
        default:
            break
        }
        pendingAction = nil
        pendingActionStarted = false
    }
}
