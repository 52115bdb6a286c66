import DiscoCore
import DiscoRuntime
import Foundation
import Testing
@testable import disco_sm

/// disco-sm's and simulate-cloud's help and usage errors compared byte for byte with `Fixtures/sm/help`: what users
/// see stays the same whatever builds the text.
@Suite struct ServerHelpGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/sm/help")

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent("\(name).txt"), encoding: .utf8)
    }

    @Test func serverHelpIsUnchanged() throws {
        let expected = try Self.golden("disco-sm")
        for flag in ["-h", "--help"] {
            guard case let .exit(status, text) = ServerMain.parse(["--port", "1", flag, "--frob"], environment: [:]) else {
                Issue.record("\(flag): no help"); continue
            }
            #expect(status == 0)
            #expect(text == expected, "\(flag)")
        }
        // --version (even --version=x) prints the version alone.
        for arguments in [["--version"], ["--version=x"]] {
            guard case let .exit(status, text) = ServerMain.parse(arguments, environment: [:]) else {
                Issue.record("\(arguments): no version"); continue
            }
            #expect(status == 0 && text == "disco-sm \(DiscoVersion.current)\n")
        }
    }

    @Test func simulateCloudHelpIsUnchanged() throws {
        let expected = try Self.golden("simulate-cloud")
        for flag in ["-h", "--help"] {
            #expect(CloudSimulatorCommand.parse(["--control", flag]) == .exit(0, expected), "\(flag)")
        }
    }

    /// Each usage error is `Error: <what>`, then the whole help, with status 64.
    @Test(arguments: [
        (["--frob"], "unknown option '--frob'"),
        (["-x"], "unknown option '-x'"),
        (["--port"], "--port needs a value"),
        (["--port", "--host", "h"], "--port needs a value"),
        (["--port=65536"], "--port: '65536' is not a port number in 0…65535"),
        (["--port", "-1"], "--port: '-1' is not a port number in 0…65535"),
        (["--config="], "--config needs a value"),
        (["--host", "h", "extra"], "unexpected argument 'extra'"),
        (["--", "-c"], "unexpected argument '-c'"),
    ])
    func serverUsageErrorsAreUnchanged(arguments: [String], message: String) throws {
        let expected = try Self.golden("disco-sm")
        guard case let .exit(status, text) = ServerMain.parse(arguments, environment: [:]) else {
            Issue.record("\(arguments) ran"); return
        }
        #expect(status == 64)
        #expect(text == "Error: \(message)\n" + expected)
    }

    @Test(arguments: [
        (["--frob"], "unknown option '--frob'"),
        (["--control=yes"], "--control takes no value"),
        (["--port", "x"], "--port: 'x' is not a port number in 0…65535"),
        (["--ready-seconds"], "--ready-seconds needs a value"),
        (["--ready-seconds", "soon"], "--ready-seconds: 'soon' is not a number of seconds (0 or more)"),
        (["--quota-instances", "2147483648"], "--quota-instances: '2147483648' is not a whole number of at least 1"),
        (["--user", "a:b:c:d"], "--user: 'a:b:c:d' is not NAME:PASSWORD:PROJECT"),
        (["--host"], "--host needs a value"),
        (["now"], "unexpected argument 'now'"),
    ])
    func simulateCloudUsageErrorsAreUnchanged(arguments: [String], message: String) throws {
        let expected = try Self.golden("simulate-cloud")
        #expect(CloudSimulatorCommand.parse(arguments) == .exit(64, "Error: \(message)\n" + expected))
    }
}
