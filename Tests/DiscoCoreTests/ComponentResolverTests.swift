import Testing
@testable import DiscoCore

@Suite struct ComponentResolverTests {
    let catalog: ComponentCatalog

    init() throws {
        catalog = try .make([
            ("hadoop", [], []), ("spark", ["hadoop"], []), ("zeppelin", ["spark"], []), ("jupyter", [], []),
            ("zookeeper", [], []), ("kafka", ["zookeeper"], []), ("storm", ["zookeeper"], ["flink"]), ("flink", [], []),
        ])
    }

    @Test func dependenciesAreAddedAndExplained() throws {
        let resolved = try ComponentResolver.resolve(["zeppelin", "jupyter"], in: catalog)
        #expect(resolved.map(\.name) == ["base", "hadoop", "jupyter", "spark", "zeppelin"])
        #expect(resolved.map(\.reason) == [.implicit, .requiredBy(["spark"]), .requested, .requiredBy(["zeppelin"]), .requested])
        #expect(resolved[1].reason.description == "required by spark")
    }

    @Test func orderIsDeterministicWhateverTheInputOrder() throws {
        let a = try ComponentResolver.resolve(["kafka", "spark", "jupyter"], in: catalog).map(\.name)
        let b = try ComponentResolver.resolve(["jupyter", "spark", "kafka"], in: catalog).map(\.name)
        #expect(a == b)
        #expect(a == ["base", "hadoop", "jupyter", "spark", "zookeeper", "kafka"])
    }

    @Test func unknownComponentSuggestsTheClosestName() {
        let error = #expect(throws: SpecValidationError.self) { try ComponentResolver.resolve(["sparc"], in: catalog) }
        #expect(error?.problems.first?.description.hasPrefix("components.sparc: is not a known component (did you mean 'spark'?); use one of: ") == true)
    }

    @Test func conflictIsReported() {
        let error = #expect(throws: SpecValidationError.self) { try ComponentResolver.resolve(["storm", "flink"], in: catalog) }
        #expect(error?.problems.map(\.description) == ["components.flink: conflicts with 'storm'; use only one of 'flink' and 'storm'"])
    }

    @Test func cycleIsReportedWithItsPath() throws {
        let cyclic = try ComponentCatalog.make([("a", ["b"], []), ("b", ["c"], []), ("c", ["a"], [])])
        let error = #expect(throws: SpecValidationError.self) { try ComponentResolver.resolve(["a"], in: cyclic) }
        #expect(error?.problems.first?.problem == "have a dependency cycle: a → b → c → a")
    }

    @Test func catalogRejectsUnknownReferences() {
        #expect(throws: CatalogError.self) { try ComponentCatalog.make([("a", ["nope"], [])]) }
    }
}
