/// YARN and MapReduce memory settings for a node, computed with the original DISCO formula
/// (Hortonworks HDP 2.3.4 guide; disco-spec §4.7.4), from the flavor of the nodes that run NodeManagers.
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

    public init(ramMB: Int, vcpus: Int) {
        let ram = max(ramMB, 512)
        let cores = max(vcpus, 1)
        // The original failed above 512000 MB; larger nodes keep the last reservation. Tiny nodes keep at least half.
        let tableReserved = Self.reservedTable.first { $0.atMostMB >= ram }?.reservedMB ?? Self.reservedTable.last!.reservedMB
        let reserved = min(tableReserved, ram / 2)
        let available = ram - reserved
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
