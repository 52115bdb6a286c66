import DiscoCore
import DiscoOpenStack
import Foundation

/// Reads arguments and configuration, wires the service manager together, serves until SIGTERM/SIGINT.
enum ServerMain {
    static let usage = """
        OVERVIEW: DISCO service manager — the OCCI and REST API for distributed-computing clusters on OpenStack.

        USAGE: disco-sm [-c <sm.cfg>] [--host <address>] [--port <port>] [--state-dir <path>]
               disco-sm simulate-cloud [--port <port>] [--ready-seconds <s>]

        OPTIONS:
          -c, --config <path>     INI configuration (also SM_CONFIG_PATH, which takes precedence).
                                  Without one: 127.0.0.1:8888, the simulated cloud, the built-in catalog.
          --host <address>        Address to listen on (overrides [service_manager] listen).
          --port <port>           Port to listen on (overrides [service_manager] port).
          --state-dir <path>      Where cluster records and keys are kept.
          --version               Show the version.
          -h, --help              Show help information.

        """

    struct Arguments {
        var configPath: String?
        var host: String?
        var port: Int?
        var stateDirectory: String?
    }

    enum ArgumentsOutcome {
        case run(Arguments)
        case exit(Int32, String)
    }

    static func parse(_ args: [String], environment: [String: String]) -> ArgumentsOutcome {
        var parsed = Arguments()
        var index = 0
        func value(_ flag: String) -> String? {
            index += 1
            return index < args.count ? args[index] : nil
        }
        while index < args.count {
            let arg = args[index]
            switch arg {
            case "-h", "--help": return .exit(0, usage)
            case "--version": return .exit(0, "disco-sm \(DiscoVersion.current)\n")
            case "-c", "--config":
                guard let path = value(arg) else { return .exit(64, "Error: \(arg) needs a path\n" + usage) }
                parsed.configPath = path
            case "--host":
                guard let host = value(arg) else { return .exit(64, "Error: --host needs an address\n" + usage) }
                parsed.host = host
            case "--port":
                guard let text = value(arg), let port = Int(text), (0...65535).contains(port) else {
                    return .exit(64, "Error: --port needs a number in 0…65535\n" + usage)
                }
                parsed.port = port
            case "--state-dir":
                guard let path = value(arg) else { return .exit(64, "Error: --state-dir needs a path\n" + usage) }
                parsed.stateDirectory = path
            default:
                return .exit(64, "Error: unknown argument '\(arg)'\n" + usage)
            }
            index += 1
        }
        if let path = environment["SM_CONFIG_PATH"], !path.isEmpty { parsed.configPath = path }
        return .run(parsed)
    }

    /// Runs the server; returns the process exit code.
    static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        if arguments.first == "simulate-cloud" {
            return await CloudSimulatorCommand.run(arguments: Array(arguments.dropFirst()))
        }
        let parsedArguments: Arguments
        switch parse(arguments, environment: environment) {
        case let .exit(code, text):
            FileHandle(fileDescriptor: code == 0 ? 1 : 2).write(Data(text.utf8))
            return code
        case let .run(args):
            parsedArguments = args
        }
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
        let logHandle: FileHandle
        if let path = config.logFile {
            guard FileManager.default.createFile(atPath: path, contents: nil) || FileManager.default.fileExists(atPath: path),
                  let handle = FileHandle(forWritingAtPath: path) else {
                FileHandle.standardError.write(Data("Error: \(config.source): [general] log_file: cannot open \(path)\n".utf8))
                return 78
            }
            _ = try? handle.seekToEnd()
            logHandle = handle
        } else {
            logHandle = FileHandle.standardError
        }
        let writer = LogWriter(fileDescriptor: logHandle.fileDescriptor)
        let logger = Logger(label: "disco-sm", level: config.logLevel, writer: writer)
        let code = await serve(config, logger: logger)
        await writer.close()  // every line logged so far reaches the file before the process exits
        withExtendedLifetime(logHandle) {}
        return code
    }

    private static func serve(_ config: ServerConfiguration, logger: Logger) async -> Int32 {
        do {
            let server = try await Wiring.make(config, logger: logger)
            let port = try server.http.start()
            printBanner(config, port: port, cloud: server.provider.displayName)
            let stopper = server.http.stopOnSignals(logger: { logger.info($0) })
            await server.http.run()
            _ = stopper
            await server.service.stop()
            logger.info("stopped")
            return 0
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
    }

    private static func printBanner(_ config: ServerConfiguration, port: Int, cloud: String) {
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
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// The running pieces.
struct RunningServer {
    var http: HTTPServer
    var service: ClusterService
    var provider: any CloudProvider
    var application: DiscoApplication
}

/// Builds the object graph from a configuration.
enum Wiring {
    static func make(_ config: ServerConfiguration, logger: Logger, clock: any DiscoClock = SystemClock(),
                     simulator: SimulatedCloud? = nil) async throws -> RunningServer {
        let catalog: ComponentCatalog
        do {
            catalog = try config.frameworkDirectory.map { try ComponentCatalog.load(from: URL(fileURLWithPath: $0)) } ?? .builtIn()
        } catch {
            throw ConfigurationError(path: config.source, line: nil, key: "[disco] framework_directory", message: "\(error)")
        }
        let provider: any CloudProvider
        switch config.cloud {
        case .simulated:
            let scale = config.simulationReadySeconds / 10
            let t = SimulatedCloud.Timing.realistic
            let sim = simulator ?? SimulatedCloud(
                configuration: .init(timing: .init(resource: t.resource * scale, server: t.server * scale, signal: t.signal * scale,
                                                   delete: t.delete * scale, action: t.action * scale)),
                clock: clock)
            provider = OpenStackCloudProvider.simulated(sim, unrestrictedCredentials: config.unrestrictedCredentials)
        case .openstack:
            guard let uri = config.designURI, let url = URL(string: uri) else {
                throw ConfigurationError(path: config.source, line: nil, key: "[service_manager] design_uri", message: "is required")
            }
            provider = OpenStackCloudProvider(authURL: url, transport: URLSessionTransport(),
                                              configuration: .init(unrestrictedApplicationCredentials: config.unrestrictedCredentials))
        }
        let options = PlanOptions(mirror: config.mirror, checksumBase: config.checksumBase,
                                  limits: SpecLimits(maxWorkers: config.maxWorkers))
        let store = try FileJournalStore(directory: URL(fileURLWithPath: config.stateDirectory))
        let service = ClusterService(
            store: store, provider: provider, planner: Planner(catalog: catalog, options: options), clock: clock,
            configuration: .init(pollInterval: config.pollInterval, defaultTTLSeconds: config.defaultTTLSeconds,
                                 orphanPolicy: config.orphanPolicy),
            logger: logger)
        try await service.start()
        // Loading and indexing every record leaves freed heap behind (~15 MiB with 10,000 clusters).
        HeapTrimmer.shared.trimNow()
        let defaults = OCCIClusterMapping.Defaults(
            image: config.defaultImage ?? (config.cloud == .simulated ? "ubuntu-22.04" : nil),
            flavor: config.defaultFlavor ?? (config.cloud == .simulated ? "m1.medium" : nil),
            externalNetwork: config.defaultExternalNetwork ?? (config.cloud == .simulated ? "public" : nil))
        let box = ServerBox()
        let application = DiscoApplication(service: service, provider: provider, catalog: catalog, defaults: defaults,
                                           logger: logger, connectionCount: { box.server?.statistics.openConnections })
        await service.onRemoval { [weak application] id in application?.forget(id) }
        var httpConfiguration = HTTPServer.Configuration(host: config.host, port: config.port)
        httpConfiguration.runsOnEventLoop = DiscoApplication.isQuickRead
        // Listings of 10,000 clusters are ~800 KiB each; without a trim glibc keeps ~20 MiB of their freed heap.
        httpConfiguration.largeResponseWritten = { HeapTrimmer.shared.trimSoon() }
        // Half the cores (at most 4): with two cores a second loop raised throughput but also the p99 (clients share them).
        httpConfiguration.eventLoops = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        let http = HTTPServer(configuration: httpConfiguration) { request in
            await application.handle(request)
        }
        box.server = http
        return RunningServer(http: http, service: service, provider: provider, application: application)
    }
}

/// Lets the application read the server's statistics once both exist.
final class ServerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _server: HTTPServer?
    var server: HTTPServer? {
        get { lock.withLock { _server } }
        set { lock.withLock { _server = newValue } }
    }
}

enum DiscoVersion {
    static let current = "2.0.0"
}
