import DiscoRuntime

/// One disco-cli command, declared once: its name, aliases, help and options, and how the parsed values build it.
///
/// Parsing (``CommandParser``), the help pages (``Help``) and the shell completion scripts (``CompletionScript``) all
/// read these declarations; `CommandDeclaration.all` lists them in the order help shows them.
struct CommandDeclaration: Sendable {
    typealias Parse = @Sendable (_ scanner: inout ArgumentScanner, _ global: inout GlobalOptions) throws(ArgumentError) -> Command

    var name: String
    var aliases: [String]
    /// One line in the top-level help's SUBCOMMANDS.
    var abstract: String
    /// The first line of the command's help page.
    var overview: String
    var usage: String
    var discussion: String?
    var arguments: [ArgumentSyntax]
    var options: [OptionSyntax]
    /// Arguments after the last positional go to another program (`ssh`): `-h` there is theirs, not a request for help.
    var passesArgumentsThrough: Bool
    /// Reads the arguments after the command's name.
    var parse: Parse

    /// - Parameters:
    ///   - initial: the value the options and arguments are applied to.
    ///   - passthrough: for a command whose last positional argument is followed by another program's arguments: their
    ///     label, help and where they go. Long options of the command and global ones are still recognised there, until
    ///     a `--`.
    ///   - build: the command from the applied value; it checks what involves several options.
    init<Target: Sendable>(
        _ name: String, aliases: [String] = [], abstract: String, overview: String, usage: String, discussion: String? = nil,
        initial: Target, arguments: [ArgumentDeclaration<Target>] = [], options: [OptionDeclaration<Target>] = [],
        passthrough: (syntax: ArgumentSyntax, apply: @Sendable (inout Target, [String]) -> Void)? = nil,
        build: @escaping @Sendable (Target) throws(ArgumentError) -> Command
    ) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.overview = overview
        self.usage = usage
        self.discussion = discussion
        self.arguments = arguments.map(\.syntax) + (passthrough.map { [$0.syntax] } ?? [])
        self.options = options.map(\.syntax)
        self.passesArgumentsThrough = passthrough != nil
        let passthroughApply = passthrough?.apply
        let commandName = name
        self.parse = { scanner, global throws(ArgumentError) in
            var target = initial
            var filled = 0
            func option(_ name: String, _ scanner: inout ArgumentScanner) throws(ArgumentError) -> Bool {
                if try GlobalOptions.apply(name, to: &global, from: &scanner) { return true }
                guard let option = options.first(where: { $0.syntax.accepts(name) }) else { return false }
                try option.apply(&target, &scanner, name)
                return true
            }
            while true {
                if let name = scanner.nextOption() {
                    if name == "-h" || name == "--help" { return .help(commandName) }
                    guard try option(name, &scanner) else { throw .unknownOption(name) }
                    continue
                }
                guard let word = scanner.nextPositional() else { break }
                guard filled < arguments.count else { throw .unexpectedArgument(word) }
                try arguments[filled].apply(&target, word)
                filled += 1
                if let passthroughApply, filled == arguments.count {
                    var rest: [String] = []
                    while let word = scanner.peek() {
                        if word == "--" || scanner.isPastDoubleDash {
                            if !scanner.isPastDoubleDash { _ = scanner.next() }
                            rest += scanner.takeRemaining()
                            break
                        }
                        guard word.hasPrefix("--"), let name = scanner.nextOption() else {
                            rest.append(scanner.next()!)
                            continue
                        }
                        guard try option(name, &scanner) else { throw .unknownOption(name) }
                    }
                    passthroughApply(&target, rest)
                    break
                }
            }
            if let missing = arguments[filled...].first(where: \.isRequired) { throw .missingArgument(missing.syntax.label) }
            return try build(target)
        }
    }

    /// Whether `word` names this command.
    func isNamed(_ word: String) -> Bool { word == name || aliases.contains(word) }
}
