import Foundation

/// What a project may still create; `nil` means unlimited or unknown.
public struct QuotaHeadroom: Sendable, Hashable, Codable {
    public var instances: Int?
    public var vcpus: Int?
    public var ramMB: Int?
    public var floatingIPs: Int?

    public init(instances: Int? = nil, vcpus: Int? = nil, ramMB: Int? = nil, floatingIPs: Int? = nil) {
        self.instances = instances
        self.vcpus = vcpus
        self.ramMB = ramMB
        self.floatingIPs = floatingIPs
    }
}
