public import Foundation

/// One node's part of a cluster's health, for the per-node views.
public struct NodeHealth: Sendable, Hashable, Codable {
    public var name: String
    public var role: String
    public var address: String
    public var status: ClusterHealth.Status
    public var reachable: Bool
    public var checkedAt: Date?
    public var daemons: [DaemonHealth]
    /// Free space of the root file system, percent and bytes.
    public var diskFreePercent: Int?
    public var diskFreeBytes: Int64?
    public var memoryAvailablePercent: Int?

    public init(name: String, role: String, address: String, status: ClusterHealth.Status, reachable: Bool,
                checkedAt: Date? = nil, daemons: [DaemonHealth] = [], diskFreePercent: Int? = nil,
                diskFreeBytes: Int64? = nil, memoryAvailablePercent: Int? = nil) {
        self.name = name
        self.role = role
        self.address = address
        self.status = status
        self.reachable = reachable
        self.checkedAt = checkedAt
        self.daemons = daemons
        self.diskFreePercent = diskFreePercent
        self.diskFreeBytes = diskFreeBytes
        self.memoryAvailablePercent = memoryAvailablePercent
    }
}
