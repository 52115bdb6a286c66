import Foundation
import Glibc
import Testing

/// One disco-sm per state directory (issue 19, item 2): a second one exits at once naming the directory and the holder;
/// the lock dies with its holder, also by SIGKILL.
@Suite(.serialized) struct StateDirectoryLockTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-lock-\(UUID().uuidString)")
    var state: String { folder.appendingPathComponent("state").path }

    func start() async throws -> ServerProcess {
        let port = ServerProcess.freePort()
        return try await ServerProcess(arguments: ["--state-dir", state, "--port", String(port)], port: port)
    }

    /// Runs a second disco-sm on the directory; its exit status and output, or `nil` (after killing it) when it is
    /// still running after `seconds`: it started serving instead of refusing.
    func runSecond(within seconds: Double = 20, arguments: [String]? = nil,
                   environment: [String: String]? = nil) async throws -> (status: Int32, output: String)? {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = ServerProcess.binaries.appendingPathComponent("disco-sm")
        process.arguments = (arguments ?? ["--state-dir", state]) + ["--port", String(ServerProcess.freePort())]
        if let environment { process.environment = environment }
        let output = folder.appendingPathComponent("second-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        for _ in 0..<Int(seconds * 20) where process.isRunning { try await Task.sleep(nanoseconds: 50_000_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    @Test func aSecondServerOnADirectoryInUseExitsNamingItAndTheHolder() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await start()
        defer { first.terminate() }
        guard let second = try await runSecond() else {
            Issue.record("a second disco-sm on \(state) kept running")
            return
        }
        #expect(second.status == 75, "\(second.output)")
        #expect(second.output.contains("the state directory \(state) is in use by another disco-sm (PID \(first.process.processIdentifier))"),
                "\(second.output)")
        #expect(!second.output.contains("listening"), "\(second.output)")
        #expect(try await first.call("GET", "/healthz").0 == 200)
    }

    @Test func aStateDirectoryOfANewerFormatIsRefusedWithStatus78() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let format = URL(fileURLWithPath: state).appendingPathComponent("FORMAT")
        try Data("disco-state-format 999\n".utf8).write(to: format)
        guard let run = try await runSecond() else {
            Issue.record("disco-sm served a state directory of a newer format")
            return
        }
        #expect(run.status == 78, "\(run.output)")
        #expect(run.output.contains("Error: \(format.path): the state was written by a newer DISCO (format 999;"), "\(run.output)")
        #expect(try String(contentsOf: format, encoding: .utf8) == "disco-state-format 999\n")
    }

    /// Issue 22, finding 9.
    @Test func aGroupReadableStateDirectoryIsRefusedWithStatus78NamingTheFix() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        guard let run = try await runSecond() else {
            Issue.record("disco-sm served a state directory of mode 0750")
            return
        }
        #expect(run.status == 78, "\(run.output)")
        #expect(run.output.contains("Error: the state directory \(state) has mode 0750, open to other users"), "\(run.output)")
        #expect(run.output.contains("run chmod 700 \(state)"), "\(run.output)")
    }

    /// Issue 22, finding 9: no predictable /tmp/disco.
    @Test func withoutHomeAndXDGStateHomeTheServerRefusesToStart() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "HOME" && $0.key != "XDG_STATE_HOME" && $0.key != "SM_CONFIG_PATH" }
        guard let run = try await runSecond(arguments: [], environment: environment) else {
            Issue.record("disco-sm started without HOME, XDG_STATE_HOME or --state-dir")
            return
        }
        #expect(run.status == 78, "\(run.output)")
        #expect(run.output.contains("Error: no state directory: neither XDG_STATE_HOME nor HOME is set; give one with --state-dir"),
                "\(run.output)")
    }

    @Test func theLockDiesWithItsHolderAlsoBySIGKILL() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await start()
        first.kill9()
        first.terminate()
        let next = try await start()
        defer { next.terminate() }
        #expect(try await next.call("GET", "/healthz").0 == 200)
        #expect(try String(contentsOfFile: state + "/disco-sm.lock", encoding: .utf8) == "\(next.process.processIdentifier)\n")
        guard let second = try await runSecond() else {
            Issue.record("a disco-sm on \(state), held by the restarted one, kept running")
            return
        }
        #expect(second.output.contains("PID \(next.process.processIdentifier)"), "\(second.output)")
    }
}
