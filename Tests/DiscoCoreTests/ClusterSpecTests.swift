import Foundation
import Testing
@testable import DiscoCore

@Suite struct ClusterSpecTests {
    @Test func validSpecHasNoProblems() {
        #expect(ClusterSpec.make().problems().isEmpty)
    }

    @Test func negativeWorkersNamesFieldAndRange() throws {
        var spec = ClusterSpec.make()
        spec.workers = -1
        let error = try #require(throws: SpecValidationError.self) { try spec.validate() }
        #expect(error.description == "workers: -1 is not allowed; use 0…1000")
    }

    @Test func everyProblemIsReportedAtOnce() {
        var spec = ClusterSpec.make()
        spec.name = "9bad name"
        spec.workers = 5000
        spec.master.image = ""
        spec.worker.flavor = "m1.large$(reboot)"
        spec.network = "-net"
        spec.ttlSeconds = 10
        spec.tags = ["ok", "bad,tag"]
        spec.components = ["Spark!": [:]]
        let paths = spec.problems().map(\.path)
        #expect(paths == ["name", "master.image", "worker.flavor", "workers", "network", "ttlSeconds", "tags[1]", "components.Spark!"])
    }

    @Test func limitsAreConfigurable() {
        var spec = ClusterSpec.make(workers: 11)
        #expect(spec.problems(limits: SpecLimits(maxWorkers: 10)).map(\.description) == ["workers: 11 is not allowed; use 0…10"])
        spec.workers = 10
        #expect(spec.problems(limits: SpecLimits(maxWorkers: 10)).isEmpty)
    }

    @Test func decodesJSONWithDefaults() throws {
        let json = #"{"name":"a","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"workers":0,"externalNetwork":"public"}"#
        let spec = try JSONDecoder().decode(ClusterSpec.self, from: Data(json.utf8))
        #expect(spec.worker == spec.master)
        #expect(spec.components.isEmpty && spec.tags.isEmpty && spec.ttlSeconds == nil)
        #expect(spec.networkName == "a-net")
    }

    @Test func decodingErrorsNameTheField() {
        let json = #"{"name":"a","master":{"image":"x","flavor":"y"},"workers":"three","externalNetwork":"public"}"#
        do {
            _ = try JSONDecoder().decode(ClusterSpec.self, from: Data(json.utf8))
            Issue.record("decoding should fail")
        } catch let error as DecodingError {
            #expect(error.readableDescription == "workers: is a string; use a number")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
