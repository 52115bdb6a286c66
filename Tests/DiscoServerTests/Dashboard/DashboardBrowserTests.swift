import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// What the browser test needs on the machine: Chromium (Debian: `apt-get install chromium`) and python3, which runs
/// `scripts/dashboard/browser_test.py`, a Chrome DevTools Protocol driver using only Python's standard library.
enum DashboardBrowser {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("scripts/dashboard/browser_test.py")

    static let chromium: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        return executable(named: ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"])
    }()

    static let python: String? = executable(named: ["python3"])

    static var available: Bool { chromium != nil && python != nil && FileManager.default.fileExists(atPath: script.path) }

    static func executable(named names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Where the screenshots go: `$DISCO_TEST_OUTPUT/dashboard-screenshots`, else `.build/dashboard-screenshots`.
    static var outputDirectory: URL {
        if let base = ProcessInfo.processInfo.environment["DISCO_TEST_OUTPUT"], !base.isEmpty {
            return URL(fileURLWithPath: base).appendingPathComponent("dashboard-screenshots")
        }
        return packageRoot.appendingPathComponent(".build/dashboard-screenshots")
    }
}

@Suite("Dashboard in headless Chromium")
struct DashboardBrowserTests {
    /// Runs disco-sm (simulated cloud, clusters ready in ~2 s) on a free port and drives the dashboard through the
    /// whole life of a cluster; fails on any failed step, browser console error, or request off this machine. The
    /// simulated cloud's control routes (another port) let the script stop a worker's daemon to turn health yellow.
    @Test("sign in, create with Zeppelin, follow to ready, download the key, health yellow and green, delete",
          .enabled(if: DashboardBrowser.available, "needs chromium (apt-get install chromium) and python3"),
          .timeLimit(.minutes(3)))
    func endToEnd() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-dashboard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        var config = ServerConfiguration(stateDirectory: state.path)
        config.host = "127.0.0.1"
        config.port = 0
        config.simulationReadySeconds = 2
        config.pollInterval = 0.3
        let clock = SystemClock()
        let simulator = SimulatedCloud(configuration: .init(timing: .realistic(readySeconds: config.simulationReadySeconds)),
                                       clock: clock)
        let server = try await ServiceManager.make(config, logger: Logger(label: "dashboard-test", level: .error, sink: { _ in }),
                                                   clock: clock, simulator: simulator)
        let port = try server.http.start()
        let control = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0)) { request in
            SimulatorControl.handle(request, simulator: simulator)
        }
        let result: ProcessResult
        do {
            let controlPort = try control.start()
            result = try await runProcess(DashboardBrowser.python!, [
                DashboardBrowser.script.path, "--url", "http://127.0.0.1:\(port)", "--chromium", DashboardBrowser.chromium!,
                "--simulator-control", "http://127.0.0.1:\(controlPort)",
                "--out", DashboardBrowser.outputDirectory.path, "--timeout", "10", "--ready-timeout", "40",
            ], timeoutSeconds: 150)
        } catch {
            await control.stop()
            await server.http.stop()
            await server.service.stop()
            throw error
        }
        await control.stop()
        await server.http.stop()
        await server.health.stop()
        await server.service.stop()
        print(result.output)
        #expect(result.status == 0, "the dashboard browser test failed (exit \(result.status)):\n\(result.output)")
        #expect(result.output.contains("dashboard browser test: ") && result.output.contains(" passed, 0 failed"))
    }
}

struct ProcessResult: Sendable {
    var status: Int32
    var output: String
}

/// Runs a program with stdout and stderr into one temporary file; kills it after `timeoutSeconds`.
private func runProcess(_ executable: String, _ arguments: [String], timeoutSeconds: Double) async throws -> ProcessResult {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("disco-dashboard-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    let box = ProcessBox()
    let process = box.process
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
            return
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds) {
            if box.process.isRunning { box.process.terminate() }
        }
    }
    try? handle.close()
    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return ProcessResult(status: status, output: output)
}

/// Lets the watchdog reach the process (Process is thread-safe for isRunning/terminate).
private final class ProcessBox: @unchecked Sendable {
    let process = Process()
}
