import DiscoRuntime
import Testing

/// The one option loop over declarations (`ArgumentScanner.read`), which disco-cli's commands, disco-sm and
/// simulate-cloud share, and the help rows built from the same declarations.
@Suite struct DeclaredReadingTests {
    struct Target: Sendable, Equatable {
        var port = 0
        var verbose = false
        var names: [String] = []
        var other: [String] = []
    }

    static let options: [OptionDeclaration<Target>] = [
        OptionDeclaration(["-p", "--port"], value: "<port>", help: "Port.") { target, scanner, name throws(ArgumentError) in
            target.port = try scanner.integer(for: name, in: 0...65535)
        },
        .flag(["-v", "--verbose"], help: "More.") { $0.verbose = true },
    ]

    static let arguments: [ArgumentDeclaration<Target>] = [
        ArgumentDeclaration("<first>", help: "First.") { target, value throws(ArgumentError) in target.names.append(value) },
        ArgumentDeclaration("<second>", help: "Second.", isRequired: false) { target, value throws(ArgumentError) in
            target.names.append(value)
        },
    ]

    func read(_ words: [String], stoppingAt: [String] = OptionSyntax.help.names, filled: Bool = false)
        throws(ArgumentError) -> (Target, ArgumentScanner.ReadEnd, [String]) {
        var scanner = ArgumentScanner(words)
        var target = Target()
        var other: [String] = []
        let end = try scanner.read(into: &target, options: Self.options, arguments: Self.arguments, stoppingAt: stoppingAt,
                                   stopsWhenArgumentsAreFilled: filled) { name, scanner throws(ArgumentError) in
            guard name == "--other" else { return false }
            other.append(try scanner.value(for: name))
            return true
        }
        target.other = other
        return (target, end, scanner.remaining)
    }

    @Test func optionsAndArgumentsInAnyOrder() throws {
        let (target, end, rest) = try read(["a", "--port=80", "-v", "--other", "x", "b"])
        #expect(target == Target(port: 80, verbose: true, names: ["a", "b"], other: ["x"]))
        #expect(end == .end && rest.isEmpty)
    }

    @Test func stopsAtHelpWhateverFollows() throws {
        let (target, end, rest) = try read(["-v", "--help", "--frob", "a", "b", "c"])
        #expect(target.verbose && end == .stopped("--help") && rest == ["--frob", "a", "b", "c"])
        #expect(try read(["--version=1", "--frob"], stoppingAt: ["--version"]).1 == .stopped("--version"))
    }

    @Test func stopsAfterTheLastArgumentWhenAsked() throws {
        let (target, end, rest) = try read(["a", "b", "-x", "--port", "1"], filled: true)
        #expect(target.names == ["a", "b"] && end == .argumentsFilled && rest == ["-x", "--port", "1"])
    }

    @Test func errorsNameWhatIsWrong() {
        #expect(throws: ArgumentError.unknownOption("--frob")) { try read(["a", "--frob"]) }
        #expect(throws: ArgumentError.unexpectedArgument("c")) { try read(["a", "b", "c"]) }
        #expect(throws: ArgumentError.missingArgument("<first>")) { try read(["-v"]) }
        #expect(throws: ArgumentError.unexpectedValue(option: "--verbose")) { try read(["a", "--verbose=yes"]) }
        #expect(throws: ArgumentError.missingValue(option: "--other")) { try read(["a", "--other"]) }
    }

    @Test func helpRowsFromTheDeclarations() {
        let rows = Self.options.map { ($0.syntax.label, $0.syntax.help) } + [("--a-label-longer-than-21", "Own line.\nKept break.")]
        #expect(HelpLayout.rows(rows) == """
              -p, --port <port>       Port.
              -v, --verbose           More.
              --a-label-longer-than-21
                                      Own line.
                                      Kept break.

            """)
        // Wrapped at 74 characters, or only at the breaks it holds.
        let long = String(repeating: "word ", count: 20)
        #expect(HelpLayout.rows([("-x", long)]).split(separator: "\n").count == 2)
        #expect(HelpLayout.rows([("-x", long)], width: nil).split(separator: "\n").count == 1)
    }
}
