import Foundation
import Testing
@testable import DiscoCore

/// The catalog's versions run together on the nodes' one JVM (OpenJDK 17) as upstream supports them, and say why.
@Suite struct CatalogVersionTests {
    static func version(_ text: String) -> [Int] { text.split(separator: ".").map { Int($0) ?? 0 } }

    @Test func javaSeventeenVersionsUpstreamSupportsTogether() throws {
        let catalog = try ComponentCatalog.builtIn()
        let hadoop = try #require(catalog["hadoop"]?.manifest)
        let spark = try #require(catalog["spark"]?.manifest)
        let zeppelin = try #require(catalog["zeppelin"]?.manifest)
        // Hadoop 3.5 is the first line with full Java 17 support (3.4 task JVMs are not supported on 17).
        #expect(Self.version(hadoop.version).lexicographicallyPrecedes([3, 5, 0]) == false, "Hadoop \(hadoop.version) does not support Java 17")
        #expect(hadoop.version.hasPrefix("3."))
        // Zeppelin 0.12.0 was built and tested for JDK 11 only; 0.12.1 tests its Spark interpreter on JDK 17.
        #expect(Self.version(zeppelin.version).lexicographicallyPrecedes([0, 12, 1]) == false, "Zeppelin \(zeppelin.version) is not tested on JDK 17")
        // Zeppelin's Spark interpreter accepts Spark 3.3 up to (not including) 4.1; Spark's Hadoop client is Hadoop 3's.
        let sparkVersion = Self.version(spark.version)
        #expect(!sparkVersion.lexicographicallyPrecedes([3, 3, 0]) && sparkVersion.lexicographicallyPrecedes([4, 1, 0]))
        #expect(spark.downloads.first?.path.hasSuffix("-bin-hadoop3.tgz") == true)
        for manifest in [hadoop, spark, zeppelin] {
            #expect(!manifest.compatibility.isEmpty, "\(manifest.name) does not say why its version")
            for download in manifest.downloads {
                #expect(download.path.contains("-\(manifest.version)"), "\(download.path) is not \(manifest.name) \(manifest.version)")
            }
        }
        #expect(ComponentView(hadoop, in: catalog).compatibility == hadoop.compatibility)
    }

    /// The README's component table gives each download's version as the catalog has it.
    @Test func theReadmesComponentTableHasTheCatalogsVersions() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "\n## Components\n"))
        var versions: [String: String] = [:]
        for line in text[section.upperBound...].split(separator: "\n").prefix(20) where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 2 { versions[cells[0]] = cells[1] }
        }
        let catalog = try ComponentCatalog.builtIn()
        for name in catalog.names {
            let manifest = try #require(catalog[name]?.manifest)
            guard !manifest.downloads.isEmpty else { continue }
            #expect(versions[name]?.hasPrefix(manifest.version) == true,
                    "README says \(name) \(versions[name] ?? "(missing)"), the catalog \(manifest.version)")
        }
    }
}
