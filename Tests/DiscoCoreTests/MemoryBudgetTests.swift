import Testing
@testable import DiscoCore

/// Each node has one memory budget shared by the processes placed on it (YARN containers, a Flink TaskManager, Storm
/// slots, Kafka, Jupyter, the Hadoop daemons…) and the OS; the scripts size every process from it.
@Suite struct MemoryBudgetTests {
    static let catalog = try! ComponentCatalog.builtIn()
    static let selectable = catalog.names.filter { catalog[$0]?.manifest.isImplicit == false }

    /// Every set of selectable components.
    static var combinations: [[String]] {
        (1..<(1 << selectable.count)).map { mask in selectable.indices.filter { mask & (1 << $0) != 0 }.map { selectable[$0] } }
    }

    static func spec(_ names: [String], workers: Int, master: String, worker: String) -> ClusterSpec {
        var components: [String: [String: String]] = [:]
        for name in names { components[name] = name == "jupyter" ? ["password": "long enough"] : [:] }
        var spec = ClusterSpec.make(workers: workers, components: components)
        spec.master.flavor = master
        spec.worker.flavor = worker
        return spec
    }

    static func variable(_ name: String, in script: String) -> Int? {
        guard let line = script.split(separator: "\n").first(where: { $0.hasPrefix("  \(name)='") }) else { return nil }
        return Int(line.dropFirst("  \(name)='".count).dropLast())
    }

    /// What the worker script gives the processes of one worker, read back from its variables (heaps plus the JVM
    /// overhead the catalog declares, elastic shares as they are).
    static func committedOnWorker(_ script: String, components: [String]) throws -> Int {
        var total = 0
        for name in components {
            for demand in catalog[name]?.manifest.memory ?? [] where demand.runsOnWorkers {
                let key = ShellQuoting.identifier("DISCO_MEM", name, demand.id, "MB")
                let size = try #require(variable(key, in: script), "\(key) is not in the worker script")
                total += size + (demand.isElastic && demand.property == nil ? 0 : demand.overheadMB)
            }
        }
        return total
    }

    @Test("no node over-commits its memory, or the plan is refused naming node, flavor and need",
          arguments: [("m1.small", "m1.small"), ("m1.medium", "m1.medium"), ("m1.large", "m1.large"),
                      ("m1.xlarge", "m1.xlarge"), ("m1.xlarge", "m1.medium"), ("m1.medium", "m1.xlarge")])
    func nodesNeverOverCommitMemory(master: String, worker: String) throws {
        let planner = Planner(catalog: Self.catalog)
        let flavors = CloudInventory.standard
        var planned = 0
        for names in Self.combinations {
            for workers in [0, 2] {
                let spec = Self.spec(names, workers: workers, master: master, worker: worker)
                let plan: ClusterPlan
                do {
                    plan = try planner.plan(spec, inventory: flavors, context: .fixedWithoutHashing)
                } catch {
                    for problem in error.problems {
                        #expect(["master.flavor", "worker.flavor", "components.spark", "components"].contains(problem.path),
                                "\(names) on \(master)/\(worker): \(problem)")
                        if problem.path.hasSuffix(".flavor") {
                            #expect(problem.problem.contains("MB of RAM but the") && problem.accepted.contains("at least"),
                                    "\(problem)")
                            #expect(problem.found == (problem.path == "master.flavor" ? master : worker))
                        }
                        if problem.path == "components.spark" { #expect(problem.problem.contains("flavor")) }
                    }
                    continue
                }
                if workers > 0 { planned += 1 }
                #expect(plan.memory.count == (workers > 0 ? 2 : 1))
                for budget in plan.memory {
                    let ram = try #require(flavors.flavor(budget.flavor)?.ramMB)
                    #expect(budget.osReservedMB + budget.shares.reduce(0) { $0 + $1.megabytes } <= ram,
                            "\(names) over-commits the \(budget.node) (\(budget.flavor))")
                    #expect(budget.unassignedMB >= 0)
                }
                // What the worker's script hands out fits the worker's RAM.
                if workers > 0 {
                    let ram = try #require(flavors.flavor(worker)?.ramMB)
                    let committed = try Self.committedOnWorker(plan.workerScript, components: plan.components.map(\.name))
                    #expect(committed + MemoryPlanner.osReservedMB(ramMB: ram) <= ram, "\(names): \(committed) MB on a \(ram) MB worker")
                }
                if let yarn = plan.yarn {
                    let share = try #require(plan.memory.last?.shares.first { $0.process == "YARN containers" })
                    #expect(yarn.nodeMemoryMB <= share.megabytes, "YARN hands out more than its share")
                }
            }
        }
        // 16 GB nodes hold every combination when the workers carry the workers' processes.
        if master == "m1.xlarge" && worker == "m1.xlarge" { #expect(planned == Self.combinations.count) }
    }

    /// The workers of the report: YARN with a Flink TaskManager, and YARN with a Storm supervisor, on an 8 GB worker.
    @Test("YARN shares a worker with Flink or Storm", arguments: [["hadoop", "flink"], ["hadoop", "storm"]])
    func yarnSharesTheWorker(names: [String]) throws {
        let plan = try Planner(catalog: Self.catalog).plan(Self.spec(names, workers: 3, master: "m1.large", worker: "m1.large"),
                                                           inventory: .standard, context: .fixed)
        let committed = try Self.committedOnWorker(plan.workerScript, components: plan.components.map(\.name))
        #expect(committed + MemoryPlanner.osReservedMB(ramMB: 8192) <= 8192, "\(names): \(committed) MB")
        let worker = try #require(plan.memory.last)
        #expect(worker.node == "worker" && worker.shares.filter(\.isElastic).count == 2)
        #expect(plan.summary.memory == plan.memory)
    }

    @Test func aNodeTooSmallIsRefusedNamingFlavorAndNeed() throws {
        let error = #expect(throws: SpecValidationError.self) {
            try Planner(catalog: Self.catalog).plan(Self.spec(["storm", "hadoop", "flink"], workers: 2, master: "m1.large", worker: "m1.medium"),
                                                    inventory: .standard, context: .fixed)
        }
        let problem = try #require(error?.problems.first)
        #expect(problem.path == "worker.flavor" && problem.found == "m1.medium")
        #expect(problem.problem.hasPrefix("has 4096 MB of RAM but the worker's processes need "))
        #expect(problem.problem.contains("hadoop YARN containers at least 1536"))
        #expect(problem.accepted.hasPrefix("a flavor with at least "))
    }
}
