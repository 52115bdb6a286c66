#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import disco_cli

/// The repository root, found from this file.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A built executable of the package (`swift build` puts them in `.build/debug`).
func builtBinary(_ name: String) throws -> URL {
    let url = repositoryRoot.appendingPathComponent(".build/debug/\(name)")
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw TestSetupError("\(url.path) is missing; run 'swift build' first")
    }
    return url
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One real `disco-sm` for the whole test run, on a free loopback port, with the simulated cloud and clusters
/// that are ready in about a second. Tests share it, so each uses its own cluster names.
enum TestServer {
    static let shared = Task<URL, any Error> { try await start() }

    /// The server's URL, starting it on first use.
    static func url() async throws -> URL { try await shared.value }

    nonisolated(unsafe) private static var childPID: pid_t = 0

    private static func start() async throws -> URL {
        let binary = try builtBinary("disco-sm")
        let port = try freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("sm.cfg")
        try "[simulation]\nready_seconds = 1\n[disco]\npoll_interval = 0.2\n".write(to: config, atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("disco-sm.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["-c", config.path, "--port", String(port), "--state-dir", folder.appendingPathComponent("state").path]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        childPID = process.processIdentifier
        atexit { if TestServer.childPID > 0 { kill(TestServer.childPID, SIGTERM) } }
        let url = URL(string: "http://127.0.0.1:\(port)")!
        let health = url.appendingPathComponent("healthz")
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(from: health), (response as? HTTPURLResponse)?.statusCode == 200 {
                return url
            }
            guard process.isRunning else {
                throw TestSetupError("disco-sm exited: " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("disco-sm did not answer /healthz on port \(port)")
    }

    /// A port nobody listens on: bind port 0, read it, close.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestSetupError("bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The outcome of one CLI run.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the CLI in-process against the test server, with a capturing console.
func runCLI(_ arguments: [String], environment: [String: String] = [:], input: [String] = [], tty: Bool = false,
            width: Int = 120, server: Bool = true, cloudDirectories: [String]? = nil) async throws -> RunResult {
    var env = environment
    if server, env["DISCO_URL"] == nil { env["DISCO_URL"] = try await TestServer.url().absoluteString }
    let (console, out, err) = Console.capturing(input: input, isTTY: tty, width: width)
    var cli = CLI(environment: env, console: console)
    if let cloudDirectories { cli.cloudConfigDirectories = cloudDirectories }
    let status = await cli.run(arguments: arguments)
    return RunResult(status: status, stdout: out.text, stderr: err.text)
}

/// Runs the built `disco-cli` binary as a process.
func runBinary(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
               directory: URL? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = try builtBinary("disco-cli")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("DISCO_") }
    env.merge(environment) { $1 }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let stdin {
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }
    // Read both pipes before waiting, so a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// A cluster name no other test uses.
func uniqueName(_ prefix: String) -> String {
    prefix + "-" + String(UUID().uuidString.lowercased().prefix(6))
}

/// A private temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("disco-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
