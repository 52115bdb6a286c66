import Foundation
import Testing
@testable import DiscoCore

@Suite struct JSONInputTests {
    static let base = #""name":"a","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"externalNetwork":"public""#

    private func problems(_ json: String) -> [String] {
        do {
            _ = try JSONInput.decode(ClusterSpec.self, from: Data(json.utf8))
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func aValidSpecDecodes() throws {
        let spec = try JSONInput.decode(ClusterSpec.self, from: Data("{\(Self.base),\"workers\":3,\"ttlSeconds\":3600}".utf8))
        #expect(spec.workers == 3 && spec.ttlSeconds == 3600)
    }

    @Test(arguments: [
        ("\"workers\":1.5", "workers: 1.5 is not a whole number; use a whole number such as 3"),
        ("\"workers\":1.25e1", "workers: 1.25e1 is not a whole number; use a whole number such as 3"),
        ("\"workers\":1000000000000000000000000000000",
         "workers: 1000000000000000000000000000000 is out of range; use a whole number from -9223372036854775808 to 9223372036854775807"),
        ("\"workers\":2,\"ttlSeconds\":-0.5", "ttlSeconds: -0.5 is not a whole number; use a whole number such as 3"),
    ])
    func numbersThatAreNotCountsNameTheirField(member: String, expected: String) {
        #expect(problems("{\(Self.base),\(member)}") == [expected])
    }

    @Test(arguments: [
        ("{\"name\": \"a\",\n \"workers\": 3", "body: line 2, column 14 (end of input): expected ',' or '}'"),
        ("{\(base),\n \"network\": \"a\\q\", \"workers\": 1}", "body: line 2, column 15: unknown escape '\\q'"),
        ("{\(base),\n \"workers\": -}", "body: line 2, column 14: expected a digit"),
        ("{\(base),\n \"workers\": 1.}", "body: line 2, column 15: expected a digit after the decimal point"),
        ("{\(base),\n \"workers\": 1 2}", "body: line 2, column 15: expected ',' or '}'"),
        ("[1 2]", "body: line 1, column 4: expected ',' or ']'"),
        ("{\"workers\": tru}", "body: line 1, column 13: expected true or false"),
        ("{\"x\": @}", "body: line 1, column 7: expected a value (an object, array, string, number, true, false or null)"),
        ("{\(base),\n \"workers\": 1} x", "body: line 2, column 16: unexpected bytes after the value"),
    ])
    func syntaxErrorsSayLineAndColumn(json: String, expected: String) {
        let found = problems(json)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func deepNestingIsRefusedWithoutRecursingWithoutEnd() {
        let json = String(repeating: "[", count: 100_000)
        let found = problems(json)
        #expect(found.count == 1)
        #expect(found.first?.contains("nested more than 512 levels deep") == true, "\(found)")
    }

    @Test(arguments: [
        ("\"workers\":2,\"ttlSecond\":3600", "ttlSecond: is not a field (did you mean 'ttlSeconds'?); use one of: name, master, worker, workers, network, externalNetwork, components, ttlSeconds, tags, allowedSources"),
        ("\"workers\":2,\"worker\":{\"image\":\"x\",\"flavour\":\"m1.small\"}", "worker.flavour: is not a field (did you mean 'flavor'?); use one of: image, flavor"),
        ("\"workers\":2,\"zzz\":1,\"aaa\":1", "aaa: is not a field; use one of: name, master, worker, workers, network, externalNetwork, components, ttlSeconds, tags, allowedSources"),
    ])
    func unknownFieldsAreRefusedWithTheClosestName(members: String, expected: String) {
        #expect(problems("{\(Self.base),\(members)}") == [expected])
    }

    @Test func wholeNumbersFoundationTakesAreNoProblem() {
        #expect(JSONInput.diagnose(Data(#"{"a": 2.5e3, "b": -0, "c": 1E2, "d": 3}"#.utf8)).isEmpty)
    }

    @Test func storedRecordsStillAcceptFieldsOfANewerVersion() throws {
        // Only user input is strict: a plain decoder (as the store's fallback uses) ignores what it does not know.
        let json = "{\(Self.base),\"workers\":2,\"addedLater\":true}"
        let spec = try JSONDecoder().decode(ClusterSpec.self, from: Data(json.utf8))
        #expect(spec.workers == 2)
    }

    @Test(arguments: [
        ("{\(base)}", "workers: is missing"),
        ("{\(base),\"workers\":\"3\"}", "workers: is a string; use a number"),
        ("{\(base),\"workers\":null}", "workers: is null; use a number"),
        ("[]", "body: is an array; use an object"),
        ("", "body: is empty; use a JSON object"),
    ])
    func otherDecodingErrorsNameTheFieldAndWhatIsAccepted(json: String, expected: String) {
        #expect(problems(json) == [expected])
    }

    @Test func numbersInSecretFieldsAreNotEchoed() {
        let found = JSONInput.diagnose(Data(#"{"components":{"jupyter":{"password":12.5}},"workers":1.5}"#.utf8))
        #expect(found.map(\.path) == ["components.jupyter.password", "workers"])
        #expect(found[0].found == nil)
        #expect(found[1].found == "1.5")
    }

    /// Fixtures/fuzz/json: the seeds of `Fuzz/run.sh json` (and any finding kept from it).
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/json")

    @Test func fuzzSeedsGetOneLocatedSyntaxErrorOrOnlyNumberProblems() throws {
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Self.seeds.path).sorted().map {
            ($0, try Data(contentsOf: Self.seeds.appendingPathComponent($0)))
        }
        #expect(seeds.count >= 5)
        for (name, data) in seeds {
            let problems = JSONInput.diagnose(data)
            if problems.contains(where: { $0.problem.hasPrefix("line ") }) {
                #expect(problems.count == 1 && problems[0].path == "body", "\(name): \(problems)")
            } else {
                #expect(problems.allSatisfy { ["is not a whole number", "is out of range"].contains($0.problem) }, "\(name): \(problems)")
            }
        }
        let numbers = JSONInput.diagnose(try #require(seeds.first { $0.0 == "numbers.json" }).1)
        #expect(numbers.map(\.path) == ["workers", "x[1]"])
        for name in ["truncated.json", "bad-escape.json"] {
            let problems = JSONInput.diagnose(try #require(seeds.first { $0.0 == name }).1)
            #expect(problems.first?.problem.hasPrefix("line ") == true, "\(name): \(problems)")
        }
    }
}
