import Foundation

/// What a command line of options alone comes to (`disco-sm`, `disco-sm simulate-cloud`): the values to run with, or
/// a text to print and the status to exit with.
package enum CommandLineOutcome<Value: Sendable>: Sendable {
    case run(Value)
    /// Help or the version (status 0, for standard output), or a usage error (64, for standard error).
    case exit(Int32, String)

    /// Reads `arguments` into `initial` by `options`.
    ///
    /// `-h`/`--help` give `usage` with status 0, and `--version` gives `version` when one is given, wherever they come;
    /// a usage error gives `Error: <what>` and `usage` with status 64.
    package static func read(_ arguments: [String], into initial: Value, options: [OptionDeclaration<Value>], usage: String,
                             version: String? = nil) -> Self {
        var scanner = ArgumentScanner(arguments)
        var value = initial
        do throws(ArgumentError) {
            let stops = OptionSyntax.help.names + (version == nil ? [] : OptionSyntax.version.names)
            if case let .stopped(name) = try scanner.read(into: &value, options: options, stoppingAt: stops) {
                return .exit(0, OptionSyntax.version.accepts(name) ? version ?? usage : usage)
            }
        } catch {
            return .exit(64, "Error: \(error)\n" + usage)
        }
        return .run(value)
    }

    /// For ``exit(_:_:)``: writes the text (status 0 to standard output, else to standard error) and returns the status;
    /// for ``run(_:)``: 0, writing nothing.
    package func printExit() -> Int32 {
        guard case let .exit(status, text) = self else { return 0 }
        FileHandle(fileDescriptor: status == 0 ? 1 : 2).write(Data(text.utf8))
        return status
    }
}

extension CommandLineOutcome: Equatable where Value: Equatable {}
