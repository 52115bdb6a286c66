import DiscoOpenStack
import DiscoRuntime
import DiscoServer
import Foundation

/// `disco-sm simulate-cloud`: its arguments, then ``SimulatedCloudServer`` until a signal.
enum CloudSimulatorCommand {
    /// What `simulate-cloud`'s arguments ask for.
    struct Options: Equatable, Sendable {
        var host = "127.0.0.1"
        var port = 5000
        var readySeconds = 10.0
        var quota = SimulatedCloud.Quota()
        var users = [SimulatedCloud.User(name: "demo", password: "demo", projectName: "demo")]
        var control = false
    }

    static let options: [OptionDeclaration<Options>] = [
        .text(["--host"], value: "<address>", help: "Address to listen on (default 127.0.0.1).") { $0.host = $1 },
        .port(help: "Port (default 5000). Keystone is at http://<host>:<port>/identity/v3.") { $0.port = $1 },
        OptionDeclaration(["--ready-seconds"], value: "<s>", help: "About how long a cluster stack takes to complete (default 10).") {
            options, scanner, name throws(ArgumentError) in
            let text = try scanner.value(for: name)
            guard let seconds = Double(text), seconds >= 0 else {
                throw .invalidValue(option: name, value: text, accepted: "a number of seconds (0 or more)")
            }
            options.readySeconds = seconds
        },
        OptionDeclaration(["--quota-instances"], value: "<n>", help: "Instances each project may run (default 20; cores and RAM follow).") {
            options, scanner, name throws(ArgumentError) in
            let n = try scanner.integer(for: name, in: 1...Int(Int32.max), accepted: "a whole number of at least 1")
            options.quota = SimulatedCloud.Quota(instances: n, cores: n * 8, ramMB: n * 16384, floatingIPs: max(10, n))
        },
        OptionDeclaration(["--user"], value: "<name:password:project>",
                          help: "Another user in a project of its own (repeatable; demo/demo is always there).") {
            options, scanner, name throws(ArgumentError) in
            let text = try scanner.value(for: name)
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { throw .invalidValue(option: name, value: text, accepted: "NAME:PASSWORD:PROJECT") }
            options.users.append(SimulatedCloud.User(name: parts[0], password: parts[1], projectName: parts[2]))
        },
        .flag(["--control"], help: """
            Also serve /_simulator/state and POST /_simulator/faults (fault injection for
            test harnesses; see SimulatorControl).
            """) { $0.control = true },
    ]

    static let usage = HelpLayout.page(
        overview: "Serve the simulated OpenStack cloud over HTTP (for tests and demos).",
        usage: "disco-sm simulate-cloud [--host <address>] [--port <port>] [--ready-seconds <s>] [--control]",
        options: (options.map(\.syntax) + [.help]).map { ($0.label, $0.help) }, rowWidth: nil)

    typealias Outcome = CommandLineOutcome<Options>

    static func parse(_ arguments: [String]) -> Outcome {
        Outcome.read(arguments, into: Options(), options: options, usage: usage)
    }

    static func run(arguments: [String]) async -> Int32 {
        let outcome = parse(arguments)
        guard case let .run(options) = outcome else { return outcome.printExit() }
        let server: SimulatedCloudServer
        do {
            server = try await SimulatedCloudServer.start(
                host: options.host, port: options.port,
                configuration: .init(users: options.users, quota: options.quota, timing: .realistic(readySeconds: options.readySeconds)),
                control: options.control)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
        FileHandle.standardOutput.write(Data("simulated cloud at \(server.simulator.authURL.absoluteString) (user demo, password demo, project demo)\n".utf8))
        await server.runUntilSignalled()
        return 0
    }
}
