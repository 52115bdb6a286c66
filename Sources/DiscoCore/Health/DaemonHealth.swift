import Foundation

/// One daemon on one node.
public struct DaemonHealth: Sendable, Hashable, Codable {
    public var component: String
    public var unit: String
    /// `active`, `failed`, `inactive`, `activating`, or `missing` when the node has no such unit.
    public var state: String

    public init(component: String, unit: String, state: String) {
        self.component = component
        self.unit = unit
        self.state = state
    }
}
