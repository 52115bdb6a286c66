public import DiscoCore

extension SimulatedCloud.Configuration {
    /// What this cloud offers, as the planner sees it: its images, flavors and external networks (no quota).
    public var inventory: CloudInventory {
        CloudInventory(images: images, flavors: flavors,
                       networks: externalNetworks.map { Network(id: $0, name: $0, isExternal: true) })
    }
}
