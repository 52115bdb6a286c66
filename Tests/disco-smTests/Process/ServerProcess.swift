import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc

/// A `disco-sm` child process on a loopback port, for end-to-end tests of the real binary.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let output: URL

    /// The folder holding the built executables (next to the test bundle).
    static var binaries: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: bundle.appendingPathComponent("disco-sm").path) { return bundle }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// A port that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `disco-sm <arguments>`; `port` must be the one the arguments make it listen on.
    init(arguments: [String], port: Int, healthPath: String = "/healthz") async throws {
        self.port = port
        output = FileManager.default.temporaryDirectory.appendingPathComponent("disco-sm-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = Self.binaries.appendingPathComponent("disco-sm")
        process.arguments = arguments
        let logHandle = try FileHandle(forWritingTo: output)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(healthPath)")!),
               (response as? HTTPURLResponse)?.statusCode != nil {
                return
            }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw ProcessFailure("disco-sm did not start: \(self.log(tail: 2000))")
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func log(tail: Int) -> String {
        String((try? String(contentsOf: output, encoding: .utf8))?.suffix(tail) ?? "")
    }

    /// SIGKILL, as a crash.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM; returns the exit status once the process has exited (waited for on a thread of its own). Keeps the log.
    func stopGracefully() async throws -> Int32 {
        let process = self.process
        return await withCheckedContinuation { continuation in
            Thread {
                process.terminate()
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }.start()
        }
    }

    /// SIGTERM and wait.
    func terminate() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: output)
    }

    /// Sends a request and returns status and body.
    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue(token, forHTTPHeaderField: "X-Auth-Token") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A token for the simulated user demo, and its project id.
    func login() async throws -> (token: String, projectID: String) {
        let (status, data) = try await call("POST", "/api/v1/tokens", body: #"{"username":"demo","password":"demo"}"#)
        guard status == 201, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let token = object["token"] as? String, let project = object["projectID"] as? String else {
            throw ProcessFailure("no token: \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return (token, project)
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command on a thread of its own; returns its exit status and combined output.
func runCommand(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return (process.terminationStatus, String(decoding: data, as: UTF8.self))
            })
        }.start()
    }
}
