/// YARN and MapReduce memory settings for the nodes that run NodeManagers, computed with the original DISCO
/// formula (Hortonworks HDP 2.3.4 guide; disco-spec §4.7.4) from the memory YARN may give to containers there.
///
/// 8192 MB and 4 vCPUs give 8 containers of 774 MB and a 6192 MB NodeManager.
public struct YarnSizing: Sendable, Hashable, Codable {
    public var containers: Int
    /// RAM per container: `yarn.scheduler.minimum-allocation-mb` and `mapreduce.map.memory.mb`.
    public var containerMB: Int
    /// `yarn.nodemanager.resource.memory-mb` and `yarn.scheduler.maximum-allocation-mb`.
    public var nodeMemoryMB: Int
    public var reduceMB: Int
    public var mapJavaOpts: String
    public var reduceJavaOpts: String
    public var appMasterMB: Int
    public var appMasterJavaOpts: String
    public var vcores: Int

    /// Memory kept for the OS and daemons, by node RAM (first threshold ≥ RAM).
    static let reservedTable: [(atMostMB: Int, reservedMB: Int)] = [
        (4000, 1000), (16000, 2000), (24000, 4000), (48000, 6000), (72000, 8000),
        (96000, 12000), (128000, 24000), (256000, 32000), (512000, 64000),
    ]
    /// Minimum container size by available RAM; above 24000 MB it is 2048.
    static let minimumContainerTable: [(atMostMB: Int, containerMB: Int)] = [(4000, 256), (8000, 512), (24000, 1024)]

    /// What the original formula keeps for the OS on a node of `ramMB`: the table's value, at most half the node.
    public static func reservedMB(ramMB: Int) -> Int {
        let ram = max(ramMB, 512)
        // The original failed above 512000 MB; larger nodes keep the last reservation.
        let tableReserved = reservedTable.first { $0.atMostMB >= ram }?.reservedMB ?? reservedTable.last!.reservedMB
        return min(tableReserved, ram / 2)
    }

    /// The original formula for a whole node: its reservation kept, the rest for containers.
    public init(ramMB: Int, vcpus: Int) {
        let ram = max(ramMB, 512)
        self.init(availableMB: ram - Self.reservedMB(ramMB: ram), vcpus: vcpus)
    }

    /// Containers sized to fit `availableMB`, the memory YARN may hand out on one NodeManager.
    public init(availableMB: Int, vcpus: Int) {
        let available = max(availableMB, 256)
        let cores = max(vcpus, 1)
        let minimum = available > 24000 ? 2048 : (Self.minimumContainerTable.first { $0.atMostMB >= available }?.containerMB ?? 2048)
        let containers = max(1, min(2 * cores, available / minimum))
        let perContainer = max(minimum, available / containers)
        self.containers = containers
        containerMB = perContainer
        nodeMemoryMB = containers * perContainer
        reduceMB = 2 * perContainer
        mapJavaOpts = "-Xmx\(perContainer * 8 / 10)m"
        reduceJavaOpts = "-Xmx\(perContainer * 16 / 10)m"
        appMasterMB = 2 * perContainer
        appMasterJavaOpts = "-Xmx\(perContainer * 8 / 10)m"
        self.vcores = cores
    }
}
