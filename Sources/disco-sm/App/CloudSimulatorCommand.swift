import DiscoOpenStack
import DiscoRuntime
import DiscoServer
import Foundation

/// `disco-sm simulate-cloud`: its arguments, then ``SimulatedCloudServer`` until a signal.
enum CloudSimulatorCommand {
    static let usage = """
        OVERVIEW: Serve the simulated OpenStack cloud over HTTP (for tests and demos).

        USAGE: disco-sm simulate-cloud [--host <address>] [--port <port>] [--ready-seconds <s>] [--control]

        OPTIONS:
          --host <address>        Address to listen on (default 127.0.0.1).
          --port <port>           Port (default 5000). Keystone is at http://<host>:<port>/identity/v3.
          --ready-seconds <s>     About how long a cluster stack takes to complete (default 10).
          --quota-instances <n>   Instances each project may run (default 20; cores and RAM follow).
          --user <name:password:project>
                                  Another user in a project of its own (repeatable; demo/demo is always there).
          --control               Also serve /_simulator/state and POST /_simulator/faults (fault injection for
                                  test harnesses; see SimulatorControl).
          -h, --help              Show help information.

        """

    /// What `simulate-cloud`'s arguments ask for.
    struct Options: Equatable {
        var host = "127.0.0.1"
        var port = 5000
        var readySeconds = 10.0
        var quota = SimulatedCloud.Quota()
        var users = [SimulatedCloud.User(name: "demo", password: "demo", projectName: "demo")]
        var control = false
    }

    enum Outcome: Equatable {
        case run(Options)
        case exit(Int32, String)
    }

    static func parse(_ arguments: [String]) -> Outcome {
        var scanner = ArgumentScanner(arguments)
        var options = Options()
        do throws(ArgumentError) {
            while let option = scanner.nextOption() {
                switch option {
                case "-h", "--help": return .exit(0, usage)
                case "--control":
                    try scanner.flag(option)
                    options.control = true
                case "--host": options.host = try scanner.value(for: option)
                case "--port": options.port = try scanner.integer(for: option, in: 0...65535, accepted: "a port number in 0…65535")
                case "--ready-seconds":
                    let text = try scanner.value(for: option)
                    guard let seconds = Double(text), seconds >= 0 else {
                        throw .invalidValue(option: option, value: text, accepted: "a number of seconds (0 or more)")
                    }
                    options.readySeconds = seconds
                case "--quota-instances":
                    let n = try scanner.integer(for: option, in: 1...Int(Int32.max), accepted: "a whole number of at least 1")
                    options.quota = SimulatedCloud.Quota(instances: n, cores: n * 8, ramMB: n * 16384, floatingIPs: max(10, n))
                case "--user":
                    let text = try scanner.value(for: option)
                    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 3 else { throw .invalidValue(option: option, value: text, accepted: "NAME:PASSWORD:PROJECT") }
                    options.users.append(SimulatedCloud.User(name: parts[0], password: parts[1], projectName: parts[2]))
                default: throw .unknownOption(option)
                }
            }
            if let extra = scanner.nextPositional() { throw .unexpectedArgument(extra) }
        } catch {
            return .exit(64, "Error: \(error)\n\(usage)")
        }
        return .run(options)
    }

    static func run(arguments: [String]) async -> Int32 {
        let options: Options
        switch parse(arguments) {
        case let .exit(code, text):
            FileHandle(fileDescriptor: code == 0 ? 1 : 2).write(Data(text.utf8))
            return code
        case let .run(parsed):
            options = parsed
        }
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
