public import Foundation

/// A step on the way from a create request to a ready cluster, in the order they usually happen.
///
/// The raw values are the fixed label set of `disco_create_phase_seconds` in `/metrics` and the names of the
/// cluster's timeline in the APIs.
public enum CreatePhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// The request was read, authenticated and its spec parsed (the timeline's origin).
    case validated
    /// The project's images, flavors and networks were at hand and the plan checked against them.
    case inventoryChecked = "inventory_checked"
    /// The cluster's user SSH key pair was made.
    case keysMade = "keys_made"
    /// The cluster's delegated credential was made.
    case credentialMade = "credential_made"
    /// Heat answered the stack create.
    case stackCreated = "stack_created"
    /// The master server is up (Heat's `CREATE_COMPLETE` of `master`).
    case serversActive = "servers_active"
    /// A component's install signalled (one mark per component).
    case componentSignalled = "component_signalled"
    /// DISCO saw the stack complete: the cluster is ready.
    case ready
}

/// When a ``CreatePhase`` was reached: milliseconds after the request (the record's `createdAt`), so that the store
/// keeps sub-second steps (its dates are whole seconds).
public struct PhaseMark: Sendable, Hashable, Codable {
    public var phase: CreatePhase
    /// The component, for ``CreatePhase/componentSignalled``.
    public var component: String?
    public var milliseconds: Int

    public init(phase: CreatePhase, component: String? = nil, milliseconds: Int) {
        self.phase = phase
        self.component = component
        self.milliseconds = milliseconds
    }

    /// Seconds after the request.
    public var seconds: Double { Double(milliseconds) / 1000 }
}

extension ClusterRecord {
    /// Records that `phase` was reached at `time`; only the first mark of a phase (per component) counts.
    /// Returns the new mark, if any.
    @discardableResult
    public mutating func mark(_ phase: CreatePhase, component: String? = nil, at time: Date) -> PhaseMark? {
        var marks = timeline ?? []
        guard !marks.contains(where: { $0.phase == phase && $0.component == component }) else { return nil }
        let mark = PhaseMark(phase: phase, component: component,
                             milliseconds: max(0, Int((time.timeIntervalSince(createdAt) * 1000).rounded())))
        marks.append(mark)
        timeline = marks
        return mark
    }
}
