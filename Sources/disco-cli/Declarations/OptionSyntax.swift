import DiscoRuntime

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
