import Foundation

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
