/// One option of a command: its syntax, and how its value goes into the command being built (`Target`).
package struct OptionDeclaration<Target: Sendable>: Sendable {
    package typealias Apply = @Sendable (_ target: inout Target, _ scanner: inout ArgumentScanner, _ name: String) throws(ArgumentError) -> Void

    package var syntax: OptionSyntax
    /// Reads the option's value from the scanner (the option's name is already read) into the target.
    package var apply: Apply

    package init(_ names: [String], hiddenNames: [String] = [], value: String? = nil, help: String, completion: ValueCompletion = .none,
         isHidden: Bool = false, apply: @escaping Apply) {
        syntax = OptionSyntax(names: names, hiddenNames: hiddenNames, valueName: value, help: help, completion: completion, isHidden: isHidden)
        self.apply = apply
    }

    /// A flag: no value; `--flag=value` is refused.
    package static func flag(_ names: [String], hiddenNames: [String] = [], help: String, isHidden: Bool = false,
                     set: @escaping @Sendable (inout Target) -> Void) -> Self {
        Self(names, hiddenNames: hiddenNames, help: help, isHidden: isHidden) { target, scanner, name throws(ArgumentError) in
            try scanner.flag(name)
            set(&target)
        }
    }

    /// An option whose value is taken as given: the next word (not one that starts with `-`) or what follows `=`.
    package static func text(_ names: [String], value: String, help: String, completion: ValueCompletion = .none,
                             isHidden: Bool = false, set: @escaping @Sendable (inout Target, String) -> Void) -> Self {
        Self(names, value: value, help: help, completion: completion, isHidden: isHidden) { target, scanner, name throws(ArgumentError) in
            set(&target, try scanner.value(for: name))
        }
    }

    /// `--port <port>`: a port number in 0…65535.
    package static func port(help: String, set: @escaping @Sendable (inout Target, Int) -> Void) -> Self {
        Self(["--port"], value: "<port>", help: help) { target, scanner, name throws(ArgumentError) in
            set(&target, try scanner.integer(for: name, in: 0...65535, accepted: "a port number in 0…65535"))
        }
    }

    /// The same option applied to the part of a larger target at `path`.
    package func lifted<Outer: Sendable>(_ path: any WritableKeyPath<Outer, Target> & Sendable) -> OptionDeclaration<Outer> {
        let apply = self.apply
        return OptionDeclaration<Outer>(syntax: syntax) { outer, scanner, name throws(ArgumentError) in
            try apply(&outer[keyPath: path], &scanner, name)
        }
    }

    /// The same option with other help text.
    package func withHelp(_ help: String) -> Self {
        var copy = self
        copy.syntax.help = help
        return copy
    }

    private init(syntax: OptionSyntax, apply: @escaping Apply) {
        self.syntax = syntax
        self.apply = apply
    }
}
