import Foundation

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
        text += rows(globalRows + [(GlobalOptions.version.label, GlobalOptions.version.help)])
        text += "\nSUBCOMMANDS:\n"
        text += rows(CommandDeclaration.all.map { ($0.name, $0.abstract) })
        text += """

              See 'disco-cli help <subcommand>' for detailed help.

            """
        return text
    }

    /// The help page of the command named `command` (a name or an alias), or the top level's.
    static func text(for command: String?) -> String {
        guard let command, let declaration = CommandDeclaration.named(command) else { return root() }
        var text = "OVERVIEW: \(declaration.overview)\n\nUSAGE: \(declaration.usage)\n"
        if !declaration.arguments.isEmpty { text += "\nARGUMENTS:\n" + rows(declaration.arguments.map { ($0.label, $0.help) }) }
        let options = declaration.options.filter { !$0.isHidden }.map { ($0.label, $0.help) }
        text += "\nOPTIONS:\n" + rows(options + globalRows)
        if let discussion = declaration.discussion {
            text += "\n" + discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { line in line.hasPrefix(" ") ? [String(line)] : wrap(String(line), width: 100) }
                .joined(separator: "\n") + "\n"
        }
        return text
    }

    /// Usage line of a command, for usage errors.
    static func usage(for command: String?) -> String {
        command.flatMap(CommandDeclaration.named)?.usage ?? usage
    }

    /// Rows of `  label  text`, the text starting at column 26 and wrapped at 100.
    static func rows(_ items: [(String, String)]) -> String {
        var text = ""
        for (label, description) in items {
            let lines = wrap(description, width: 74)
            if label.count <= 21 {
                text += "  " + label.padding(toLength: 24, withPad: " ", startingAt: 0) + lines[0] + "\n"
            } else {
                text += "  " + label + "\n" + String(repeating: " ", count: 26) + lines[0] + "\n"
            }
            for line in lines.dropFirst() { text += String(repeating: " ", count: 26) + line + "\n" }
        }
        return text
    }
}
