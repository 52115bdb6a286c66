extension ArgumentScanner {
    /// How ``read(into:options:arguments:stoppingAt:stopsWhenArgumentsAreFilled:otherOption:)`` ended.
    package enum ReadEnd: Sendable, Equatable {
        /// Every word was read.
        case end
        /// The last positional argument was read and ``ArgumentScanner`` stopped there; the words after it are unread.
        case argumentsFilled
        /// An option of `stoppingAt` (`--help`, `--version`), named here, was read; the words after it are unread.
        case stopped(String)
    }

    /// Reads options and positional arguments into `target` by their declarations: the one option loop of disco-cli's
    /// commands, `disco-sm` and `disco-sm simulate-cloud`.
    ///
    /// An option is looked up first by `otherOption` (disco-cli's global options), then in `options`; positional
    /// arguments fill `arguments` in order. Reading stops at once at an option named in `stoppingAt`, whatever follows.
    ///
    /// - Throws: ``ArgumentError`` for an option no one declared, an argument too many, a required argument missing,
    ///   or whatever an option's or argument's `apply` throws.
    package mutating func read<Target>(
        into target: inout Target, options: [OptionDeclaration<Target>], arguments: [ArgumentDeclaration<Target>] = [],
        stoppingAt: [String] = OptionSyntax.help.names, stopsWhenArgumentsAreFilled: Bool = false,
        otherOption: (_ name: String, _ scanner: inout ArgumentScanner) throws(ArgumentError) -> Bool = { _, _ in false }
    ) throws(ArgumentError) -> ReadEnd {
        var filled = 0
        while true {
            if let name = nextOption() {
                if stoppingAt.contains(name) { return .stopped(name) }
                if try otherOption(name, &self) { continue }
                guard let option = options.first(where: { $0.syntax.accepts(name) }) else { throw .unknownOption(name) }
                try option.apply(&target, &self, name)
                continue
            }
            guard let word = nextPositional() else { break }
            guard filled < arguments.count else { throw .unexpectedArgument(word) }
            try arguments[filled].apply(&target, word)
            filled += 1
            if stopsWhenArgumentsAreFilled, filled == arguments.count { return .argumentsFilled }
        }
        if let missing = arguments[filled...].first(where: \.isRequired) { throw .missingArgument(missing.syntax.label) }
        return .end
    }
}
