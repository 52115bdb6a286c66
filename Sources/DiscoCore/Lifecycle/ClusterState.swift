/// Where a cluster is in its life.
///
/// ```
/// accepted → provisioning → installing → ready ⇄ scaling
///                                        ready → suspending → suspended → resuming → ready
/// any → deleting → deleted;  any step → failed (with a reason);  failed → deleting
/// ```
public enum ClusterState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded; the stack is not created yet.
    case accepted
    /// The stack is being created (network, servers…).
    case provisioning
    /// The servers are up; the frameworks are being installed.
    case installing
    /// Infrastructure and frameworks are up.
    case ready
    /// Workers are being added or removed.
    case scaling
    case suspending
    case suspended
    case resuming
    /// The stack is being deleted; retried until it is gone.
    case deleting
    /// The stack is gone.
    case deleted
    /// Something went wrong; the reason says what.
    case failed

    /// Whether the reconciler still has work to do.
    public var isActive: Bool {
        switch self {
        case .accepted, .provisioning, .installing, .scaling, .suspending, .resuming, .deleting: true
        case .ready, .suspended, .deleted, .failed: false
        }
    }

    /// Whether the cluster's stack is being created (servers coming up, frameworks installing).
    public var isBeingCreated: Bool { self == .provisioning || self == .installing }

    /// Whether the state can be left for `next`.
    public func canMove(to next: ClusterState) -> Bool {
        if next == self { return true }
        switch (self, next) {
        case (.deleted, _): return false
        case (.deleting, .deleted), (.deleting, .failed): return true
        case (.deleting, _): return false
        case (_, .deleting), (_, .failed): return true
        case (.accepted, .provisioning), (.provisioning, .installing), (.provisioning, .ready), (.installing, .ready),
             (.ready, .scaling), (.scaling, .ready), (.ready, .suspending), (.suspending, .suspended),
             (.suspended, .resuming), (.resuming, .ready), (.failed, .ready):
            return true
        default:
            return false
        }
    }

    /// The state the original dashboard's colour logic understands ("fail" red, "ready"/"complete" green).
    public var isHealthy: Bool { self == .ready }
}
