import Foundation
import Testing
@testable import DiscoCore

/// Hadoop, Kafka, Storm and Zeppelin run as stand-ins in the real-node suite, so their configuration is checked here:
/// every key the composed scripts write must be one that version of the framework knows. The key lists are data under
/// `Fixtures/upstream-keys/<component>-<version>/`, each file headed by its upstream source (repository, tag or commit, path).
@Suite struct UpstreamKeyTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/upstream-keys")

    struct Check: Sendable, CustomStringConvertible {
        var component: String
        /// A key list in the component's fixture folder.
        var list: String
        var function: String
        var keys: @Sendable ([Substring]) -> Set<String>
        var description: String { "\(component): \(list)" }
    }

    static let checks: [Check] = [
        Check(component: "kafka", list: "kafka-config.txt", function: "disco_kafka_all") {
            WrittenConfigKeys.propertiesKeys(WrittenConfigKeys.hereDocument(to: "\"$cfg\"", in: $0))
        },
        Check(component: "storm", list: "storm-config.txt", function: "disco_storm_all") {
            WrittenConfigKeys.yamlKeys(WrittenConfigKeys.hereDocument(to: "/opt/storm/conf/storm.yaml", in: $0))
        },
        Check(component: "zeppelin", list: "zeppelin-env.txt", function: "disco_zeppelin_master") {
            WrittenConfigKeys.exportedNames(WrittenConfigKeys.hereDocument(to: "\"$z/conf/zeppelin-env.sh\"", in: $0))
        },
        Check(component: "zeppelin", list: "spark-interpreter-setting.txt", function: "disco_zeppelin_master") {
            WrittenConfigKeys.pythonDictKeys("want", in: $0)
        },
    ]

    /// A plan with every component, so that every fragment is in the scripts.
    static func scripts() throws -> [String] {
        let catalog = try ComponentCatalog.builtIn()
        var components: [String: [String: String]] = [:]
        for name in catalog.names where catalog[name]?.manifest.isImplicit == false { components[name] = [:] }
        components["jupyter"] = ["password": "a long enough password"]
        let plan = try Planner(catalog: catalog).plan(.make(workers: 3, components: components, flavor: "m1.xlarge"),
                                                      inventory: .standard, context: .fixed)
        return [plan.masterScript, plan.workerScript]
    }

    /// The key list of `component` at the catalog's version; lines starting with `#` are its source notes.
    static func keyList(_ component: String, _ file: String) throws -> (version: String, keys: Set<String>) {
        let version = try #require(try ComponentCatalog.builtIn()[component]?.manifest.version)
        let url = fixtures.appendingPathComponent("\(component)-\(version)/\(file)")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("# "), "\(url.path) does not start with its source")
        let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        return (version, Set(keys))
    }

    @Test("every key DISCO writes is in that version's upstream key list", arguments: checks)
    func writtenKeysExistUpstream(_ check: Check) throws {
        let (version, known) = try Self.keyList(check.component, check.list)
        var written: Set<String> = []
        for script in try Self.scripts() {
            written.formUnion(check.keys(WrittenConfigKeys.body(of: check.function, in: script)))
        }
        #expect(!written.isEmpty, "found no keys written by \(check.function)")
        let unknown = written.subtracting(known).sorted()
        #expect(unknown.isEmpty, "\(check.component) \(version) (\(check.list)) has no key: \(unknown.joined(separator: ", "))")
    }
}
