@testable import DiscoCore
import Testing

@Suite struct RoleSectionsTests {
    static let prelude = """
        a=1
        # disco:master
        master_only() { :; }
        # disco:end
          # disco:workers
        workers_only() { :; }
          # disco:end
        b=2
        """

    @Test func eachRoleGetsItsOwnSectionsAndTheSharedLines() {
        #expect(RoleSections.kept(for: .master, in: Self.prelude) == "a=1\nmaster_only() { :; }\nb=2")
        #expect(RoleSections.kept(for: .workers, in: Self.prelude) == "a=1\nworkers_only() { :; }\nb=2")
    }

    /// The composed scripts: the master's has the prefetch and not the workers' copy loop, and the other way round.
    @Test func theComposedScriptsCarryOnlyTheirRolesArtefactCode() throws {
        var inventory = CloudInventory.standard
        inventory.quota = QuotaHeadroom()
        let plan = try Planner(catalog: try .builtIn())
            .plan(.make(workers: 2, components: ["flink": [:]]), inventory: inventory, context: .fixed)
        #expect(plan.masterScript.contains("\ndisco_prefetch() {"))
        #expect(!plan.masterScript.contains("not provided by the master within"))
        #expect(!plan.workerScript.contains("\ndisco_prefetch() {"))
        #expect(plan.workerScript.contains("not provided by the master within"))
        #expect(!plan.masterScript.contains("# disco:") && !plan.workerScript.contains("# disco:"))
    }
}
