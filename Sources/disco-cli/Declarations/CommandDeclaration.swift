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
            func globalOption(_ name: String, _ scanner: inout ArgumentScanner) throws(ArgumentError) -> Bool {
                try GlobalOptions.apply(name, to: &global, from: &scanner)
            }
            let end = try scanner.read(into: &target, options: options, arguments: arguments,
                                       stopsWhenArgumentsAreFilled: passthroughApply != nil, otherOption: globalOption)
            if case .stopped = end { return .help(commandName) }
            if let passthroughApply, end == .argumentsFilled {
                // The other program's arguments, among which the long options of this command and global ones still count.
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
                    if try globalOption(name, &scanner) { continue }
                    guard let option = options.first(where: { $0.syntax.accepts(name) }) else { throw .unknownOption(name) }
                    try option.apply(&target, &scanner, name)
                }
                passthroughApply(&target, rest)
            }
            return try build(target)
        }
    }

    /// Whether `word` names this command.
    func isNamed(_ word: String) -> Bool { word == name || aliases.contains(word) }
}
