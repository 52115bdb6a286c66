/// Spark-on-YARN sizes that fit the NodeManagers which run the containers: the application master (client mode)
/// and the executors, rounded the way YARN rounds requests (up to multiples of the minimum allocation).
///
/// With no workers the one NodeManager is the master's and must hold the AM and an executor together.
public struct SparkSizing: Sendable, Hashable, Codable {
    /// `spark.yarn.am.memory` (MB).
    public var appMasterHeapMB: Int
    /// The AM's container after overhead and YARN's rounding.
    public var appMasterContainerMB: Int
    /// `spark.executor.memory` (MB).
    public var executorHeapMB: Int
    /// One executor's container after overhead and rounding.
    public var executorContainerMB: Int
    /// `spark.executor.cores`.
    public var executorCores: Int
    /// Executors that fit on one NodeManager next to what else it must hold.
    public var executorsPerNode: Int
    /// `spark.executor.instances`: executors per node times the nodes running NodeManagers.
    public var executorInstances: Int

    /// The `spark` component's properties sized here against the flavor of the nodes running NodeManagers.
    package static let executorMemoryProperty = "executor_memory"
    package static let executorCoresProperty = "executor_cores"

    /// Spark's smallest usable executor heap (it refuses less than 450 MB).
    static let minimumExecutorHeapMB = 512
    static let appMasterHeap = 512

    /// Why Spark cannot run on the NodeManagers it was given.
    public struct Misfit: Error, Sendable, Hashable {
        public var problem: String
        public var accepted: String
    }

    /// Spark's memory overhead for a heap: max(384 MB, 10 %).
    static func overheadMB(heapMB: Int) -> Int { max(384, heapMB / 10) }

    static func rounded(_ mb: Int, to step: Int) -> Int { (mb + step - 1) / step * step }

    /// Sizes Spark for `yarn` on `nodes` NodeManagers; `executorMemory` and `executorCores` are the user's
    /// values (`auto` or e.g. `2g`, `auto` or a count).
    public static func fitting(_ yarn: YarnSizing, nodes: Int, sharesNodeWithAppMaster: Bool,
                               executorMemory: String, executorCores: String) -> Result<SparkSizing, Misfit> {
        let step = max(yarn.containerMB, 1)
        let amContainer = rounded(appMasterHeap + overheadMB(heapMB: appMasterHeap), to: step)
        let room = yarn.nodeMemoryMB - (sharesNodeWithAppMaster ? amContainer : 0)
        var perNode: Int
        var heap: Int
        var container: Int
        if let requested = megabytes(executorMemory) {
            heap = requested
            container = rounded(heap + overheadMB(heapMB: heap), to: step)
            perNode = container > 0 ? room / container : 0
            guard perNode >= 1 else {
                return .failure(Misfit(
                    problem: "needs \(container) MB for one executor container\(sharesNodeWithAppMaster ? " plus \(amContainer) MB for the application master" : "") but YARN has \(yarn.nodeMemoryMB) MB on each NodeManager",
                    accepted: "a smaller executor_memory (at most \(maximumHeap(fitting: room, step: step))m), or 'auto'"))
            }
        } else {
            perNode = 2
            repeat {
                container = room / perNode / step * step
                heap = heapFitting(container)
                if heap >= minimumExecutorHeapMB { break }
                perNode -= 1
            } while perNode >= 1
            guard perNode >= 1 else {
                return .failure(Misfit(
                    problem: "needs at least \(rounded(minimumExecutorHeapMB + 384, to: step)) MB for an executor container\(sharesNodeWithAppMaster ? " plus \(amContainer) MB for the application master" : "") but YARN has \(yarn.nodeMemoryMB) MB on each NodeManager",
                    accepted: "a larger flavor for the nodes that run NodeManagers, or fewer components on them"))
            }
        }
        let cores: Int
        if let given = Int(executorCores) {
            guard given <= yarn.vcores else {
                return .failure(Misfit(problem: "asks for \(given) cores per executor but each NodeManager offers \(yarn.vcores)",
                                       accepted: "executor_cores at most \(yarn.vcores), or 'auto'"))
            }
            cores = given
        } else {
            cores = max(1, yarn.vcores / perNode)
        }
        return .success(SparkSizing(appMasterHeapMB: appMasterHeap, appMasterContainerMB: amContainer, executorHeapMB: heap,
                                    executorContainerMB: container, executorCores: cores, executorsPerNode: perNode,
                                    executorInstances: perNode * max(nodes, 1)))
    }

    /// The largest heap whose heap + overhead fits `container`.
    static func heapFitting(_ container: Int) -> Int {
        container >= 384 * 11 ? container * 10 / 11 : container - 384
    }

    static func maximumHeap(fitting room: Int, step: Int) -> Int { max(0, heapFitting(room / step * step)) }

    /// `512m` → 512, `2g` → 2048; `nil` for `auto` or anything else.
    static func megabytes(_ size: String) -> Int? {
        guard let unit = size.last, let number = Int(size.dropLast()) else { return nil }
        switch unit {
        case "m", "M": return number
        case "g", "G": return number * 1024
        default: return nil
        }
    }
}
