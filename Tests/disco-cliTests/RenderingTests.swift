import DiscoCore
import Foundation
import Testing
@testable import disco_cli

@Suite struct RenderingTests {
    @Test func tablesFitTheWidth() {
        let table = Table([.init(title: "NAME"), .init(title: "DESCRIPTION", isFlexible: true)],
                          rows: [["a", String(repeating: "x", count: 100)], ["bb", "short"]])
        let lines = table.render(width: 40)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines[0] == "NAME  DESCRIPTION")
        #expect(lines[1].hasSuffix("x…"))
        #expect(lines[2] == "bb    short")
    }

    @Test func colourOnlyWhenAsked() {
        let (plain, _, _) = Console.capturing(color: false)
        #expect(plain.paint("ready", .green) == "ready")
        let (coloured, _, _) = Console.capturing(color: true)
        #expect(coloured.paint("ready", .green) == "\u{1B}[32mready\u{1B}[0m")
        #expect(coloured.withoutColor().paint("ready", .green) == "ready")
        let standard = Console.standard(environment: ["NO_COLOR": "1"])
        #expect(!standard.useColor)
    }

    @Test func progressBar() {
        #expect(ProgressBar.render(percent: 50, width: 12, unicode: false) == "[#####.....]".replacingOccurrences(of: ".....]", with: ".....]"))
        #expect(ProgressBar.render(percent: 100, width: 6, unicode: true) == "[████]")
        #expect(ProgressBar.render(percent: -5, width: 6, unicode: false) == "[....]")
    }

    @Test func promptsReaskWithTheReason() throws {
        let (console, out, _) = Console.capturing(input: ["", "seven", "7"])
        let value: Int = try Prompter(console: console).ask("Workers", default: nil) { answer in
            Int(answer).map { .success($0) } ?? .failure(PromptProblem("'\(answer)' is not a number"))
        }
        #expect(value == 7)
        #expect(out.text.contains("✗ '' is not a number"))
        #expect(out.text.contains("✗ 'seven' is not a number"))
        let (ended, _, _) = Console.capturing(input: [])
        #expect(throws: Prompter.EndOfInput.self) { try Prompter(console: ended).confirm("Sure?", default: true) }
    }

    @Test func catalogDependencies() throws {
        let catalog = CatalogInfo([
            .init(name: "zeppelin", version: "1", summary: "", requires: ["spark"]),
            .init(name: "spark", version: "1", summary: "", requires: ["hadoop"]),
            .init(name: "hadoop", version: "1", summary: ""),
            .init(name: "base", version: "1", summary: "", isImplicit: true),
        ])
        #expect(catalog.dependencies(of: "zeppelin") == ["spark", "hadoop"])
        #expect(catalog.offered == ["hadoop", "spark", "zeppelin"])
        #expect(catalog.closure(["zeppelin"]) == ["zeppelin", "spark", "hadoop"])
    }
}
