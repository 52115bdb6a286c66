import Testing
@testable import DiscoCore

@Suite struct SparkSizingTests {
    /// A variable of a composed script, as the node's shell will see it.
    static func variable(_ name: String, in script: String) -> Int? {
        guard let line = script.split(separator: "\n").first(where: { $0.hasPrefix("  \(name)='") }) else { return nil }
        return Int(line.dropFirst("  \(name)='".count).dropLast())
    }

    static func plan(workers: Int, flavor: String, spark: [String: String] = [:]) throws -> ClusterPlan {
        try Planner(catalog: try .builtIn()).plan(.make(workers: workers, components: ["spark": spark], flavor: flavor),
                                                  inventory: .standard, context: .fixed)
    }

    /// Without workers YARN's only NodeManager is the master's: the AM container and an executor container must fit
    /// in what the master's script gives that NodeManager, or no job ever gets an executor.
    @Test("zero workers: the AM and an executor fit the master's NodeManager", arguments: ["m1.large", "m1.xlarge"])
    func zeroWorkersSparkFitsTheMastersNodeManager(flavor: String) throws {
        let plan = try Self.plan(workers: 0, flavor: flavor)
        let script = plan.masterScript
        let nodeManager = try #require(Self.variable("DISCO_YARN_NODE_MEMORY_MB", in: script))
        let step = try #require(Self.variable("DISCO_YARN_CONTAINER_MB", in: script))
        let amHeap = try #require(Self.variable("DISCO_SPARK_AM_HEAP_MB", in: script), "the AM is not sized by the planner")
        let executorHeap = try #require(Self.variable("DISCO_SPARK_EXECUTOR_HEAP_MB", in: script), "executors are not sized by the planner")
        func container(_ heap: Int) -> Int { (heap + max(384, heap / 10) + step - 1) / step * step }
        #expect(container(amHeap) + container(executorHeap) <= nodeManager, "\(flavor): AM \(amHeap) + executor \(executorHeap) > \(nodeManager)")
        let share = try #require(plan.memory.first?.shares.first { $0.process == "YARN containers" }?.megabytes)
        #expect(nodeManager <= share, "the master's NodeManager may use only YARN's share of the master (\(share) MB)")
        #expect(script.contains("spark.executor.memory             ${DISCO_SPARK_EXECUTOR_HEAP_MB}m"))
        #expect(script.contains("spark.yarn.am.memory              ${DISCO_SPARK_AM_HEAP_MB}m"))
    }

    @Test func withWorkersTwoExecutorsFitEachWorker() throws {
        let plan = try Self.plan(workers: 3, flavor: "m1.large")
        let yarn = try #require(plan.yarn)
        let spark = try #require(plan.spark)
        #expect(spark.executorsPerNode == 2 && spark.executorInstances == 6)
        #expect(2 * spark.executorContainerMB <= yarn.nodeMemoryMB)
        #expect(spark.executorCores == yarn.vcores / 2)
    }

    @Test func anExecutorThatCannotFitIsRefusedNamingNodeAndFlavor() throws {
        let error = #expect(throws: SpecValidationError.self) {
            try Self.plan(workers: 0, flavor: "m1.large", spark: ["executor_memory": "8g"])
        }
        let problem = try #require(error?.problems.first { $0.path == "components.spark" })
        #expect(problem.problem.contains("on the master (flavor m1.large, 8192 MB)"))
        #expect(problem.accepted.contains("a smaller executor_memory"))
        let cores = #expect(throws: SpecValidationError.self) {
            try Self.plan(workers: 2, flavor: "m1.large", spark: ["executor_cores": "9"])
        }
        #expect(cores?.problems.first?.description.contains("offers 4") == true)
    }

    @Test("explicit sizes are kept and rounded like YARN", arguments: [("2g", 2048, 2592), ("700m", 700, 1728)])
    func explicitExecutorMemory(size: String, heap: Int, container: Int) throws {
        let spark = try #require(try Self.plan(workers: 2, flavor: "m1.large", spark: ["executor_memory": size]).spark)
        #expect(spark.executorHeapMB == heap)
        #expect(spark.executorContainerMB == container)
    }
}
