import DiscoOpenStack
import DiscoRuntime
import Testing
@testable import disco_sm

/// disco-sm's and simulate-cloud's arguments, read by the shared ArgumentScanner: bad ones are named with what is accepted.
@Suite struct ArgumentsTests {
    func error(_ outcome: ServerMain.ArgumentsOutcome) -> String? {
        guard case let .exit(64, text) = outcome else { return nil }
        return text.split(separator: "\n").first.map(String.init)
    }

    @Test func serverArguments() {
        guard case let .run(arguments) = ServerMain.parse(["-c", "sm.cfg", "--port=9000", "--host", "::", "--state-dir", "/s"], environment: [:])
        else { Issue.record("not run"); return }
        #expect(arguments.configPath == "sm.cfg" && arguments.port == 9000 && arguments.host == "::" && arguments.stateDirectory == "/s")
        // An explicit -c wins over SM_CONFIG_PATH, which applies without one.
        guard case let .run(flagAndEnvironment) = ServerMain.parse(["-c", "a.cfg"], environment: ["SM_CONFIG_PATH": "b.cfg"]),
              case let .run(fromEnvironment) = ServerMain.parse([], environment: ["SM_CONFIG_PATH": "b.cfg"]) else {
            Issue.record("not run"); return
        }
        #expect(flagAndEnvironment.configPath == "a.cfg")
        #expect(fromEnvironment.configPath == "b.cfg")
        #expect(error(ServerMain.parse(["--port", "x"], environment: [:])) == "Error: --port: 'x' is not a port number in 0…65535")
        #expect(error(ServerMain.parse(["--port", "70000"], environment: [:])) == "Error: --port: '70000' is not a port number in 0…65535")
        #expect(error(ServerMain.parse(["-c"], environment: [:])) == "Error: -c needs a value")
        #expect(error(ServerMain.parse(["--frob"], environment: [:])) == "Error: unknown option '--frob'")
        #expect(error(ServerMain.parse(["extra"], environment: [:])) == "Error: unexpected argument 'extra'")
        guard case let .exit(0, help) = ServerMain.parse(["--help"], environment: [:]) else { Issue.record("no help"); return }
        #expect(help == ServerMain.usage)
    }

    @Test func simulateCloudArguments() {
        guard case let .run(options) = CloudSimulatorCommand.parse(
            ["--port", "0", "--ready-seconds", "0.5", "--quota-instances", "3", "--user", "a:b:c", "--control"]) else {
            Issue.record("not run"); return
        }
        #expect(options.port == 0 && options.readySeconds == 0.5 && options.control && options.quota.instances == 3)
        #expect(options.users.last == SimulatedCloud.User(name: "a", password: "b", projectName: "c"))
        func error(_ arguments: [String]) -> String? {
            guard case let .exit(64, text) = CloudSimulatorCommand.parse(arguments) else { return nil }
            return text.split(separator: "\n").first.map(String.init)
        }
        #expect(error(["--user", "a:b"]) == "Error: --user: 'a:b' is not NAME:PASSWORD:PROJECT")
        #expect(error(["--ready-seconds", "-1"]) == "Error: --ready-seconds: '-1' is not a number of seconds (0 or more)")
        #expect(error(["--quota-instances", "0"]) == "Error: --quota-instances: '0' is not a whole number of at least 1")
        #expect(error(["--control=yes"]) == "Error: --control takes no value")
        #expect(error(["--frob"]) == "Error: unknown option '--frob'")
    }
}
