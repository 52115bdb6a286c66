/// What the cluster will use of the project's quota.
public struct ResourceTotals: Sendable, Hashable, Codable {
    public var instances: Int
    public var vcpus: Int
    public var ramMB: Int
    public var diskGB: Int
    public var floatingIPs: Int
    public var networks: Int
    public var routers: Int
    public var securityGroups: Int

    public init(instances: Int, vcpus: Int, ramMB: Int, diskGB: Int, floatingIPs: Int, networks: Int, routers: Int,
                securityGroups: Int) {
        self.instances = instances
        self.vcpus = vcpus
        self.ramMB = ramMB
        self.diskGB = diskGB
        self.floatingIPs = floatingIPs
        self.networks = networks
        self.routers = routers
        self.securityGroups = securityGroups
    }
}
