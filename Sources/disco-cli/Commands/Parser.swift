import DiscoCore
import DiscoRuntime

/// Turns arguments into an ``Invocation`` by the commands' declarations (``CommandDeclaration/all``). Pure: no
/// environment, no I/O.
enum CommandParser {
    /// Every command's name, in help order.
    static var commandNames: [String] { CommandDeclaration.all.map(\.name) }

    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var scanner = ArgumentScanner(arguments)
        var global = GlobalOptions()
        do throws(ArgumentError) {
            // Global options before the command.
            while let word = scanner.peek(), word.hasPrefix("-") {
                if GlobalOptions.help.accepts(word) { return Invocation(global: global, command: .help(nil)) }
                if GlobalOptions.version.accepts(word) { return Invocation(global: global, command: .version) }
                guard let name = scanner.nextOption() else { throw ArgumentError.unknownOption(word) }
                guard try GlobalOptions.apply(name, to: &global, from: &scanner) else { throw ArgumentError.unknownOption(name) }
            }
        } catch {
            throw UsageError(error.description)
        }
        guard let word = scanner.next() else { return Invocation(global: global, command: .shell) }
        guard let declaration = CommandDeclaration.named(word) else {
            let hint = closestMatch(to: word, in: commandNames).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError("'\(word)' is not a disco-cli command\(hint)")
        }
        if !declaration.passesArgumentsThrough, scanner.remaining.contains(where: GlobalOptions.help.accepts) {
            return Invocation(global: global, command: .help(declaration.name))
        }
        do throws(ArgumentError) {
            let command = try declaration.parse(&scanner, &global)
            return Invocation(global: global, command: command)
        } catch {
            throw UsageError(error.description, command: declaration.name)
        }
    }

    /// Splits a shell line into words: whitespace separates, single and double quotes group, backslash escapes.
    static func split(_ line: String) throws(UsageError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = character; inWord = true
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(character); inWord = true
            }
        }
        if quote != nil { throw UsageError("unterminated quote") }
        if inWord { words.append(current) }
        return words
    }
}
