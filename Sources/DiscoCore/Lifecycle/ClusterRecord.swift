public import Foundation

/// What DISCO knows of a cluster: the durable record behind every API response.
///
/// Outside the package it is read-only: it changes through ``move(to:reason:at:)`` and the reconciler's bookkeeping,
/// so a state change always passes the state machine and leaves its event.
///
/// It holds no secret: the private key, the delegated credential and the template live in separate files.
public struct ClusterRecord: Sendable, Hashable, Codable {
    public package(set) var id: String
    public package(set) var projectID: String
    public package(set) var projectName: String
    public package(set) var userID: String
    /// The spec as asked for, without secrets; `workers` follows scaling.
    public package(set) var spec: ClusterSpec
    public package(set) var components: [ResolvedComponent]
    public package(set) var uiLinks: [PlannedUILink]
    public package(set) var totals: ResourceTotals
    public package(set) var stackName: String
    public package(set) var stackID: String?
    public package(set) var state: ClusterState
    /// Why the cluster is in its state (the failure reason for `failed`).
    public package(set) var stateReason: String
    public package(set) var stackStatus: String
    public package(set) var stackStatusReason: String
    public package(set) var outputs: [String: String]
    public package(set) var progress: [String: ComponentProgress]
    /// Workers asked for by the last scale, while scaling.
    public package(set) var desiredWorkers: Int?
    /// The last Heat event seen (the marker for the next page).
    public package(set) var eventMarker: String?
    public package(set) var events: [ClusterEvent]
    public package(set) var createdAt: Date
    public package(set) var updatedAt: Date
    public package(set) var expiresAt: Date?
    /// Delete attempts that failed, for backoff.
    public package(set) var deleteAttempts: Int
    /// Hidden from the APIs once its delete was asked for.
    public package(set) var isDeleteRequested: Bool
    /// The stack action DISCO asked for and is waiting on (`UPDATE`, `SUSPEND`, `RESUME`).
    public package(set) var pendingAction: String?
    /// Whether Heat has shown that the pending action started, so its `…_COMPLETE` is not a stale status.
    public package(set) var pendingActionStarted: Bool
    /// The health monitor's last judgement; only a ready cluster has one.
    public package(set) var health: ClusterHealth?
    /// When each step of the create was reached, in order (`nil` in records made before timelines were kept).
    public package(set) var timeline: [PhaseMark]?

    public init(id: String, projectID: String, projectName: String, userID: String, spec: ClusterSpec,
                components: [ResolvedComponent], uiLinks: [PlannedUILink], totals: ResourceTotals, stackName: String,
                createdAt: Date) {
        self.id = id
        self.projectID = projectID
        self.projectName = projectName
        self.userID = userID
        self.spec = spec
        self.components = components
        self.uiLinks = uiLinks
        self.totals = totals
        self.stackName = stackName
        self.stackID = nil
        self.state = .accepted
        self.stateReason = "waiting for the stack to be created"
        self.stackStatus = ""
        self.stackStatusReason = ""
        self.outputs = [:]
        self.progress = Dictionary(uniqueKeysWithValues: components.map { ($0.name, ComponentProgress(state: .pending)) })
        self.desiredWorkers = nil
        self.eventMarker = nil
        self.events = [ClusterEvent(time: createdAt, state: .accepted, message: "cluster accepted")]
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.expiresAt = spec.ttlSeconds.map { createdAt.addingTimeInterval(TimeInterval($0)) }
        self.deleteAttempts = 0
        self.isDeleteRequested = false
        self.pendingAction = nil
        self.pendingActionStarted = false
        self.health = nil
        self.timeline = []
    }

    /// The most events kept per cluster.
    public static let maxEvents = 200

    /// Moves to `state` if allowed, recording an event; returns whether it moved.
    @discardableResult
    public mutating func move(to next: ClusterState, reason: String, at time: Date) -> Bool {
        guard state.canMove(to: next) else { return false }
        let changed = next != state || reason != stateReason
        state = next
        stateReason = reason
        if next != .ready { health = nil }
        updatedAt = max(updatedAt, time)
        if changed { note(reason, at: time) }
        return true
    }

    /// Records an event without changing the state. The events stay in time order: one at a time Heat reported
    /// (caught up after a restart, or read in the same poll as later ones) goes before those noted since.
    public mutating func note(_ message: String, at time: Date) {
        let event = ClusterEvent(time: time, state: state, message: message)
        if let last = events.last, time < last.time {
            events.insert(event, at: events.lastIndex { $0.time <= time }.map { $0 + 1 } ?? 0)
        } else {
            events.append(event)
        }
        if events.count > Self.maxEvents { events.removeFirst(events.count - Self.maxEvents) }
        updatedAt = max(updatedAt, time)
    }

    /// The stack reference, once the stack exists.
    public var stackReference: StackReference? { stackID.map { StackReference(name: stackName, id: $0) } }

    /// Share of components ready, 0…100.
    public var progressPercent: Int {
        guard !progress.isEmpty else { return state == .ready ? 100 : 0 }
        return progress.values.filter { $0.state == .ready }.count * 100 / progress.count
    }
}
