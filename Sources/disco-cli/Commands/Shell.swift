import DiscoCore
import Foundation

/// `disco-cli` without arguments.
///
/// On a terminal: a shell with a prompt, `help`, every command, and a guided `create`; it ends with `exit`, `quit`
/// or Ctrl-D (status 0). Otherwise it never prompts: it runs the commands read from standard input, one per line
/// (blank lines and `#` comments skipped), and stops at the first that fails, with that command's status.
struct Shell {
    var context: Context

    func run() async throws {
        let console = context.console
        let interactive = console.isInputTTY
        if interactive {
            console.print(console.paint("DISCO shell", .bold) + " — service manager \(context.serverURL). "
                          + "Type 'help' for the commands, 'create' for a guided create, 'exit' to leave.")
        }
        while true {
            guard let line = console.ask(interactive ? console.paint("disco> ", .cyan) : "") else {
                if interactive { console.print("") }
                return
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if ["exit", "quit", "q"].contains(trimmed) { return }
            let status = await runLine(trimmed)
            if status != 0 && !interactive { throw ShellStop(status: status) }
        }
    }

    /// Runs one line; returns its exit status (errors are already reported).
    func runLine(_ line: String) async -> Int32 {
        var invocation: Invocation
        do {
            let words = try CommandParser.split(line)
            invocation = try CommandParser.parse(words.first == "disco-cli" ? Array(words.dropFirst()) : words)
        } catch {
            return context.cli.reportUsage(error, console: context.console)
        }
        if invocation.command == .shell { return 0 }
        // Options given to the shell apply to every line unless the line says otherwise.
        invocation.global.url = invocation.global.url ?? context.global.url
        invocation.global.token = invocation.global.token ?? context.global.token
        invocation.global.json = invocation.global.json || context.global.json
        invocation.global.noColor = invocation.global.noColor || context.global.noColor
        return await context.cli.run(invocation)
    }
}

/// Ends a non-interactive shell with the status of the command that failed.
struct ShellStop: Error, CustomStringConvertible {
    var status: Int32
    var description: String { "a command failed (exit status \(status))" }
}
