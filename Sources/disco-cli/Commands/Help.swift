import DiscoRuntime

/// Help texts in swift-argument-parser's layout (OVERVIEW, USAGE, ARGUMENTS, OPTIONS, labels padded to column 26),
/// generated from the commands' declarations.
enum Help {
    static let overview = "Manage DISCO clusters: Hadoop, Spark, Jupyter, Kafka… on OpenStack, through the DISCO service manager."
    static let usage = "disco-cli [<options>] <subcommand>"

    /// The rows every page ends its options with.
    static var globalRows: [(String, String)] {
        (GlobalOptions.declarations.map(\.syntax) + [GlobalOptions.help]).filter { !$0.isHidden }.map { ($0.label, $0.help) }
    }

    static func root() -> String {
        var text = """
            OVERVIEW: \(overview)

            USAGE: \(usage)
                   disco-cli                     (interactive shell on a terminal; commands from stdin otherwise)

            OPTIONS:

            """
        text += HelpLayout.rows(globalRows + [(GlobalOptions.version.label, GlobalOptions.version.help)])
        text += "\nSUBCOMMANDS:\n"
        text += HelpLayout.rows(CommandDeclaration.all.map { ($0.name, $0.abstract) })
        text += """

              See 'disco-cli help <subcommand>' for detailed help.

            """
        return text
    }

    /// The help page of the command named `command` (a name or an alias), or the top level's.
    static func text(for command: String?) -> String {
        guard let command, let declaration = CommandDeclaration.named(command) else { return root() }
        let options = declaration.options.filter { !$0.isHidden }.map { ($0.label, $0.help) }
        return HelpLayout.page(overview: declaration.overview, usage: declaration.usage,
                               arguments: declaration.arguments.map { ($0.label, $0.help) }, options: options + globalRows,
                               discussion: declaration.discussion)
    }

    /// Usage line of a command, for usage errors.
    static func usage(for command: String?) -> String {
        command.flatMap(CommandDeclaration.named)?.usage ?? usage
    }
}
