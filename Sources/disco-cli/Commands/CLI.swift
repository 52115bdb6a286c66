import DiscoCore
import DiscoOpenStack
import Foundation

/// The command-line client: parses, runs, maps errors to exit statuses (0 ok, 1 failure, 64 usage).
struct CLI: Sendable {
    static let defaultURL = "http://127.0.0.1:8888"

    var environment: [String: String]
    var console: Console
    var transport: any HTTPTransport
    /// Where `clouds.yaml` and `secure.yaml` are looked for, after `OS_CLIENT_CONFIG_FILE` / `OS_CLIENT_SECURE_FILE`.
    var cloudConfigDirectories: [String]
    /// Tokens obtained from credentials, kept for the session (the shell runs many commands).
    let tokens = TokenCache()

    init(environment: [String: String], console: Console, transport: any HTTPTransport = URLSessionTransport()) {
        self.environment = environment
        self.console = console
        self.transport = transport
        cloudConfigDirectories = CloudsConfiguration.searchDirectories(environment: environment,
                                                                       currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The process's entry point.
    static func main(arguments: [String], environment: [String: String]) async -> Int32 {
        let noColor = arguments.contains("--no-color") || arguments.contains("--no-colour")
        let cli = CLI(environment: environment, console: .standard(environment: environment, noColor: noColor))
        return await cli.run(arguments: arguments)
    }

    /// Parses and runs `arguments`; returns the exit status.
    func run(arguments: [String]) async -> Int32 {
        let invocation: Invocation
        do {
            invocation = try CommandParser.parse(arguments)
        } catch {
            return reportUsage(error, console: console)
        }
        return await run(invocation)
    }

    /// Runs a parsed command; returns the exit status.
    func run(_ invocation: Invocation) async -> Int32 {
        let console = invocation.global.noColor ? console.withoutColor() : console
        let context = Context(cli: self, global: invocation.global, console: console)
        do {
            try await context.execute(invocation.command)
            return 0
        } catch let error as UsageError {
            return reportUsage(error, console: console)
        } catch let stop as ShellStop {
            return stop.status
        } catch {
            context.report(error)
            return 1
        }
    }

    /// `Error: …`, `Usage: …` and a pointer to the help, on stderr; 64.
    func reportUsage(_ error: UsageError, console: Console) -> Int32 {
        console.printError("Error: \(error.message)")
        console.printError("Usage: \(Help.usage(for: error.command))")
        let helpCommand = error.command.map { "disco-cli \($0) --help" } ?? "disco-cli --help"
        console.printError("  See '\(helpCommand)' for more information.")
        return 64
    }
}
