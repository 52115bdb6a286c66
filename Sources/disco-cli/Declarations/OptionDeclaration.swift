import DiscoRuntime

/// What the shell offers for an option's value or a positional argument.
enum ValueCompletion: Sendable, Equatable {
    /// Nothing: the user types it.
    case none
    /// File names.
    case files
    /// One of these words.
    case words([String])
    /// disco-cli's command names (for `help <subcommand>`).
    case commands
}

/// An option as help and completion see it: its names, its value and what it is for.
struct OptionSyntax: Sendable, Equatable {
    /// The names shown, short first: `["-f", "--file"]`.
    var names: [String]
    /// Names also accepted but not shown (`--components`, `--no-colour`).
    var hiddenNames: [String] = []
    /// The value's placeholder, e.g. `<spec.json>`; `nil` for a flag.
    var valueName: String?
    var help: String
    var completion: ValueCompletion = .none
    /// Accepted but left out of help and completion.
    var isHidden = false

    /// Whether `name` is one of the option's names.
    func accepts(_ name: String) -> Bool { names.contains(name) || hiddenNames.contains(name) }

    /// `-f, --file <spec.json>`.
    var label: String { names.joined(separator: ", ") + (valueName.map { " \($0)" } ?? "") }
}

/// One option of a command: its syntax, and how its value goes into the command being built (`Target`).
struct OptionDeclaration<Target: Sendable>: Sendable {
    typealias Apply = @Sendable (_ target: inout Target, _ scanner: inout ArgumentScanner, _ name: String) throws(ArgumentError) -> Void

    var syntax: OptionSyntax
    /// Reads the option's value from the scanner (the option's name is already read) into the target.
    var apply: Apply

    init(_ names: [String], hiddenNames: [String] = [], value: String? = nil, help: String, completion: ValueCompletion = .none,
         isHidden: Bool = false, apply: @escaping Apply) {
        syntax = OptionSyntax(names: names, hiddenNames: hiddenNames, valueName: value, help: help, completion: completion, isHidden: isHidden)
        self.apply = apply
    }

    /// A flag: no value; `--flag=value` is refused.
    static func flag(_ names: [String], hiddenNames: [String] = [], help: String, isHidden: Bool = false,
                     set: @escaping @Sendable (inout Target) -> Void) -> Self {
        Self(names, hiddenNames: hiddenNames, help: help, isHidden: isHidden) { target, scanner, name throws(ArgumentError) in
            try scanner.flag(name)
            set(&target)
        }
    }

    /// The same option applied to the part of a larger target at `path`.
    func lifted<Outer: Sendable>(_ path: any WritableKeyPath<Outer, Target> & Sendable) -> OptionDeclaration<Outer> {
        let apply = self.apply
        return OptionDeclaration<Outer>(syntax: syntax) { outer, scanner, name throws(ArgumentError) in
            try apply(&outer[keyPath: path], &scanner, name)
        }
    }

    /// The same option with other help text.
    func withHelp(_ help: String) -> Self {
        var copy = self
        copy.syntax.help = help
        return copy
    }

    private init(syntax: OptionSyntax, apply: @escaping Apply) {
        self.syntax = syntax
        self.apply = apply
    }
}

/// A positional argument as help and completion see it.
struct ArgumentSyntax: Sendable, Equatable {
    /// `<cluster>`.
    var label: String
    var help: String
    var completion: ValueCompletion = .none
}

/// One positional argument of a command, in order.
struct ArgumentDeclaration<Target: Sendable>: Sendable {
    typealias Apply = @Sendable (_ target: inout Target, _ value: String) throws(ArgumentError) -> Void

    var syntax: ArgumentSyntax
    /// Missing at the end: ``ArgumentError/missingArgument(_:purpose:)``.
    var isRequired: Bool
    var apply: Apply

    init(_ label: String, help: String, isRequired: Bool = true, completion: ValueCompletion = .none, apply: @escaping Apply) {
        syntax = ArgumentSyntax(label: label, help: help, completion: completion)
        self.isRequired = isRequired
        self.apply = apply
    }
}
