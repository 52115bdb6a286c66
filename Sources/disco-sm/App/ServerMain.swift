import DiscoCore
import DiscoRuntime
import DiscoServer
import Foundation

/// Reads arguments and configuration, wires the service manager together, serves until SIGTERM/SIGINT.
enum ServerMain {
    struct Arguments: Sendable {
        var configPath: String?
        var host: String?
        var port: Int?
        var stateDirectory: String?
    }

    /// disco-sm's options; `--version` and `-h, --help` end the reading wherever they come.
    static let options: [OptionDeclaration<Arguments>] = [
        .text(["-c", "--config"], value: "<path>", help: """
            INI configuration (without -c: SM_CONFIG_PATH, as the original read it).
            Without one: 127.0.0.1:8888, the simulated cloud, the built-in catalog.
            """) { $0.configPath = $1 },
        .text(["--host"], value: "<address>", help: "Address to listen on (overrides [service_manager] listen).") { $0.host = $1 },
        .port(help: "Port to listen on (overrides [service_manager] port).") { $0.port = $1 },
        .text(["--state-dir"], value: "<path>", help: "Where cluster records and keys are kept.") { $0.stateDirectory = $1 },
    ]

    static let usage = HelpLayout.page(
        overview: "DISCO service manager — the OCCI and REST API for distributed-computing clusters on OpenStack.",
        usage: """
            disco-sm [-c <sm.cfg>] [--host <address>] [--port <port>] [--state-dir <path>]
                   disco-sm simulate-cloud [--port <port>] [--ready-seconds <s>]
            """,
        options: (options.map(\.syntax) + [.version, .help]).map { ($0.label, $0.help) }, rowWidth: nil)

    typealias ArgumentsOutcome = CommandLineOutcome<Arguments>

    static func parse(_ args: [String], environment: [String: String]) -> ArgumentsOutcome {
        let outcome = ArgumentsOutcome.read(args, into: Arguments(), options: options, usage: usage,
                                            version: "disco-sm \(DiscoVersion.current)\n")
        guard case var .run(parsed) = outcome else { return outcome }
        // The flag given on the command line wins over the environment.
        if parsed.configPath == nil, let path = environment["SM_CONFIG_PATH"], !path.isEmpty { parsed.configPath = path }
        return .run(parsed)
    }

    /// Runs the server; returns the process exit code.
    static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        if arguments.first == "simulate-cloud" {
            return await CloudSimulatorCommand.run(arguments: Array(arguments.dropFirst()))
        }
        let outcome = parse(arguments, environment: environment)
        guard case let .run(parsedArguments) = outcome else { return outcome.printExit() }
        var config: ServerConfiguration
        do {
            config = try parsedArguments.configPath.map { path throws(ConfigurationError) in try ServerConfiguration.load(path: path) }
                ?? ServerConfiguration()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 78
        }
        if let host = parsedArguments.host { config.host = host }
        if let port = parsedArguments.port { config.port = port }
        if let state = parsedArguments.stateDirectory { config.stateDirectory = state }

        // Log lines are written in batches by a thread of their own, never one system call per request.
        let logFile: LogFile?
        do {
            logFile = try config.logFile.map { path throws(LogFile.OpenError) in try LogFile(path: path) }
        } catch {
            FileHandle.standardError.write(Data("Error: \(config.error("[general] log_file", "\(error)"))\n".utf8))
            return 78
        }
        let writer = LogWriter(fileDescriptor: logFile?.fileDescriptor ?? 2)
        var configured = Logger(label: "disco-sm", level: config.logLevel, writer: writer)
        // Under systemd, standard error is the journal, which stamps lines itself and reads a priority prefix.
        if logFile == nil, JournalStream.isConnected(2, environment: environment) { configured.lineStyle = .journal }
        let logger = configured
        if let logFile {
            logFile.reopenOnHangup { result in
                switch result {
                case .success: logger.info("log file reopened on SIGHUP")
                case let .failure(error): logger.error("log file not reopened on SIGHUP, still writing to the old one: \(error)")
                }
            }
        } else {
            ignoreHangup()
        }
        let code = await serve(config, logger: logger, notifier: SystemdNotifier(environment: environment))
        await writer.close()  // every line logged so far reaches the file before the process exits
        logFile?.close()
        return code
    }

    /// Serves; `notifier` (under systemd) hears READY=1 once the API listens and STOPPING=1 as the drain starts, and
    /// is fed the watchdog meanwhile.
    private static func serve(_ config: ServerConfiguration, logger: Logger, notifier: SystemdNotifier?) async -> Int32 {
        // Taken before the store is read, held until the process ends: two servers on one directory would both
        // append to its journal and compact it.
        let stateLock: StateDirectoryLock
        do {
            stateLock = try StateDirectoryLock(directory: config.stateDirectory)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            if case .inUse = error { return 75 }
            return error.isConfigurationError ? 78 : 73
        }
        defer { withExtendedLifetime(stateLock) {} }
        do {
            let server = try await ServiceManager.make(config, logger: logger)
            let port = try server.start()
            let base = printBanner(config, port: port, cloud: server.cloudName)
            notifier?.ready(status: "listening on \(base)")
            let watchdog = notifier.map { notifier in Task { await notifier.keepWatchdogFed() } }
            defer { watchdog?.cancel() }
            await server.runUntilSignalled(logger: logger, draining: { notifier?.stopping() })
            logger.info("stopped")
            return 0
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 78
        } catch let error as StateFormatError {
            // Starting again would fail the same way: not a crash to restart from.
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 78
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
    }

    /// Prints how to reach the server; returns its base URL.
    private static func printBanner(_ config: ServerConfiguration, port: Int, cloud: String) -> String {
        let (text, base) = banner(config, port: port, cloud: cloud)
        FileHandle.standardOutput.write(Data(text.utf8))
        return base
    }

    /// Where the server listens, how to get a token (from the simulated cloud's demo user, or from Keystone with the
    /// user's own openrc) and the dashboard URL; and the base URL.
    static func banner(_ config: ServerConfiguration, port: Int, cloud: String) -> (text: String, base: String) {
        let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        var text = """
            DISCO service manager listening on \(base) (cloud: \(cloud); state: \(config.stateDirectory))
              OCCI:      curl -H "X-Auth-Token: $TOKEN" -H 'Accept: text/occi' \(base)/-/
              REST:      \(base)/api/v1/openapi.json
              dashboard: \(base)/dashboard/

            """
        if config.cloud == .simulated {
            text += """
                  token:     TOKEN=$(disco-cli --url \(base) token)   (simulated cloud: user demo, password demo, project demo)

                """
        } else {
            text += """
                  token:     source your openrc (OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME), then
                             TOKEN=$(disco-cli --url \(base) token)   or   TOKEN=$(openstack token issue -f value -c id)

                """
        }
        return (text, base)
    }
}
