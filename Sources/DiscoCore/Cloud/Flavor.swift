import Foundation

/// A compute flavor offered by the cloud.
public struct Flavor: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var vcpus: Int
    /// Memory in MiB.
    public var ramMB: Int
    /// Root disk in GB.
    public var diskGB: Int

    public init(id: String, name: String, vcpus: Int, ramMB: Int, diskGB: Int) {
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.ramMB = ramMB
        self.diskGB = diskGB
    }
}
