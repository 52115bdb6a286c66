public import Foundation

/// Install progress of one component, from the wait condition's signals.
public struct ComponentProgress: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case pending, installing, ready, failed
    }

    public var state: State
    public var detail: String
    public var updatedAt: Date?

    public init(state: State, detail: String = "", updatedAt: Date? = nil) {
        self.state = state
        self.detail = detail
        self.updatedAt = updatedAt
    }
}
