/// An option as help and completion see it: its names, its value and what it is for.
package struct OptionSyntax: Sendable, Equatable {
    /// The names shown, short first: `["-f", "--file"]`.
    package var names: [String]
    /// Names also accepted but not shown (`--components`, `--no-colour`).
    package var hiddenNames: [String] = []
    /// The value's placeholder, e.g. `<spec.json>`; `nil` for a flag.
    package var valueName: String?
    /// What the option is for; a line break in it is kept in help, which wraps the lines between.
    package var help: String
    package var completion: ValueCompletion = .none
    /// Accepted but left out of help and completion.
    package var isHidden = false

    package init(names: [String], hiddenNames: [String] = [], valueName: String? = nil, help: String,
                 completion: ValueCompletion = .none, isHidden: Bool = false) {
        self.names = names
        self.hiddenNames = hiddenNames
        self.valueName = valueName
        self.help = help
        self.completion = completion
        self.isHidden = isHidden
    }

    /// `-h, --help`, which every command of disco-cli and disco-sm reads before its own options.
    package static let help = OptionSyntax(names: ["-h", "--help"], help: "Show help information.")
    /// `--version`.
    package static let version = OptionSyntax(names: ["--version"], help: "Show the version.")

    /// Whether `name` is one of the option's names.
    package func accepts(_ name: String) -> Bool { names.contains(name) || hiddenNames.contains(name) }

    /// `-f, --file <spec.json>`.
    package var label: String { names.joined(separator: ", ") + (valueName.map { " \($0)" } ?? "") }
}
