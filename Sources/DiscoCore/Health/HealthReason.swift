import Foundation

/// One thing wrong with a cluster, naming where.
public struct HealthReason: Sendable, Hashable, Codable {
    public var severity: ClusterHealth.Status
    public var component: String?
    public var daemon: String?
    /// `master` or `worker<index>`.
    public var node: String?
    public var message: String

    public init(severity: ClusterHealth.Status, component: String? = nil, daemon: String? = nil, node: String? = nil,
                message: String) {
        self.severity = severity
        self.component = component
        self.daemon = daemon
        self.node = node
        self.message = message
    }
}
