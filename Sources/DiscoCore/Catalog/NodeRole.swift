import Foundation

/// Which nodes run a script fragment.
public enum NodeRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every node, before the role-specific fragment.
    case all
    case master
    case workers
}
