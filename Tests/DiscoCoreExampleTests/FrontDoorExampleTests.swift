import DiscoCore
import Foundation
import Testing

/// The README's and the DocC catalog's library example, compiled here against DiscoCore's public API only (this target
/// has no `@testable import`), run, and compared with the text of both documents.
@Suite struct FrontDoorExampleTests {
    @Test func theExamplePlansACluster() throws {
        // example:begin
        let spec = ClusterSpec(name: "analytics",
                               master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
                               worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
                               workers: 3, externalNetwork: "public",
                               components: ["spark": [:], "jupyter": ["password": "s3cret-pass"]])
        let inventory = CloudInventory(
            images: [Image(id: "9b1e", name: "ubuntu-22.04")],
            flavors: [Flavor(id: "3", name: "m1.large", vcpus: 4, ramMB: 8192, diskGB: 80)],
            networks: [Network(id: "c0a1", name: "public", isExternal: true)])
        let planner = Planner(catalog: try ComponentCatalog.builtIn())
        let plan = try planner.plan(spec, inventory: inventory, context: .preview)
        let names = plan.components.map(\.name)     // what is installed, in order
        let template = plan.template.yaml()          // the Heat template
        // example:end
        #expect(names.contains("spark") && names.contains("hadoop") && names.contains("jupyter"))
        #expect(template.hasPrefix("heat_template_version: "))
        #expect(plan.totals.instances == 4)
    }

    @Test(arguments: ["README.md", "Sources/DiscoCore/DiscoCore.docc/DiscoCore.md"])
    func theDocumentShowsTheTestedExample(document: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
        let example = try #require(Self.example(in: source))
        #expect(text.contains("```swift\nimport DiscoCore\n\n" + example + "```\n"),
                "\(document) must show, in a swift code block after `import DiscoCore`, exactly:\n\(example)")
    }

    /// The lines between the markers, de-indented.
    static func example(in source: String) -> String? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard let begin = lines.firstIndex(where: { $0.hasSuffix("// example:begin") }),
              let end = lines.firstIndex(where: { $0.hasSuffix("// example:end") }), begin < end else { return nil }
        let indent = lines[begin].prefix { $0 == " " }.count
        return lines[(begin + 1)..<end].map { String($0.dropFirst(indent)) + "\n" }.joined()
    }
}
