import Foundation
import Testing
@testable import disco_cli

/// Help pages and usage errors compared byte for byte with `Fixtures/cli`: the generated help and the declared
/// parsing keep what users see.
@Suite struct HelpGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/cli")

    static let pages = ["root"] + CommandParser.commandNames

    @Test(arguments: pages)
    func helpPageIsUnchanged(page: String) throws {
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("help/\(page).txt"), encoding: .utf8)
        #expect(Help.text(for: page == "root" ? nil : page) == expected)
    }

    /// `Fixtures/cli/usage-errors.txt`: blocks of `$ <arguments>`, the standard error, `exit <status>`.
    @Test func usageErrorsAreUnchanged() async throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("usage-errors.txt"), encoding: .utf8)
        let blocks = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(blocks.count > 60)
        for block in blocks {
            var lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let command = String(lines.removeFirst().dropFirst(2))
            let status = try #require(Int32(lines.removeLast().dropFirst(5)))
            let result = try await runCLI(command.split(separator: " ").map(String.init), server: false)
            #expect(result.stderr == lines.map { $0 + "\n" }.joined(), "disco-cli \(command)")
            #expect(result.status == status, "disco-cli \(command)")
            #expect(result.stdout.isEmpty, "disco-cli \(command)")
        }
    }
}
