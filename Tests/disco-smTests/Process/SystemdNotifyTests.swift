import Foundation
import Glibc
import Testing

/// disco-sm under systemd's `Type=notify` (issue 19, item 3): the datagrams it sends to `$NOTIFY_SOCKET` and their
/// order, and log lines for the journal.
@Suite(.serialized) struct SystemdNotifyTests {
    /// A unix datagram socket standing in for systemd's notification socket.
    final class NotifySocket {
        let fd: Int32
        /// The `NOTIFY_SOCKET` value: a path, or `@name` in the abstract namespace.
        let name: String

        init(abstract: Bool) throws {
            let id = UUID().uuidString.prefix(8)
            name = abstract ? "@disco-notify-\(id)" : "/tmp/disco-notify-\(id).sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(name.utf8)
            if abstract { bytes[0] = 0 }
            withUnsafeMutableBytes(of: &address.sun_path) { path in for (i, byte) in bytes.enumerated() { path[i] = byte } }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1))
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            guard fd >= 0, bound == 0 else { throw ProcessFailure("cannot bind \(name): \(String(cString: strerror(errno)))") }
        }

        /// The datagrams waiting now.
        func drain() -> [String] {
            var received: [String] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard count > 0 else { return received }
                received.append(String(decoding: buffer[..<count], as: UTF8.self))
            }
        }

        /// Datagrams until `done` holds for those received so far (or 30 s pass).
        func receive(until done: ([String]) -> Bool) async throws -> [String] {
            var received: [String] = []
            for _ in 0..<3000 where !done(received) {
                received += drain()
                if !done(received) { try await Task.sleep(nanoseconds: 10_000_000) }
            }
            return received
        }

        deinit {
            close(fd)
            if !name.hasPrefix("@") { unlink(name) }
        }
    }

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-notify-\(UUID().uuidString)")

    /// Starts disco-sm with `environment` added to this process's; does not wait for it to listen.
    func launch(port: Int, environment: [String: String], output: URL) throws -> Process {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: output.path) { _ = FileManager.default.createFile(atPath: output.path, contents: nil) }
        let process = Process()
        process.executableURL = ServerProcess.binaries.appendingPathComponent("disco-sm")
        process.arguments = ["--state-dir", folder.appendingPathComponent("state").path, "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
        return process
    }

    /// Whether something accepts connections on the loopback port now.
    func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// SIGTERM; the exit status once it has exited.
    func stop(_ process: Process) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                process.terminate()
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }.start()
        }
    }

    @Test func readyOnceListeningThenWatchdogPingsThenStoppingWhenTheDrainStarts() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let notify = try NotifySocket(abstract: false)
        let port = ServerProcess.freePort()
        let output = folder.appendingPathComponent("sm.log")
        let process = try launch(port: port, environment: ["NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "100000"], output: output)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let beforeReady = try await notify.receive { !$0.isEmpty }
        // READY=1 is sent once the API listens: a connection right after it is accepted.
        #expect(accepts(port), "READY=1 before the port accepted connections")
        let ready = beforeReady.first ?? ""
        #expect(ready.hasPrefix("READY=1\n"), "\(beforeReady)")
        #expect(ready.contains("\nSTATUS=listening on http://127.0.0.1:\(port)\n"), "\(ready)")
        #expect(ready.hasSuffix("\nMAINPID=\(process.processIdentifier)"), "\(ready)")
        // WATCHDOG_USEC 0.1 s: a ping every 0.05 s.
        let pings = try await notify.receive { $0.count >= 3 }
        #expect(pings.count >= 3 && pings.allSatisfy { $0 == "WATCHDOG=1" }, "\(pings)")

        #expect(await stop(process) == 0)
        let rest = notify.drain()
        let stopping = rest.firstIndex { $0.hasPrefix("STOPPING=1") }
        #expect(stopping == rest.count - 1, "STOPPING=1 is the last datagram: \(rest)")
        #expect(rest.dropLast().allSatisfy { $0 == "WATCHDOG=1" }, "\(rest)")
        #expect(beforeReady.dropFirst().allSatisfy { $0 == "WATCHDOG=1" }, "\(beforeReady)")
    }

    @Test func anAbstractSocketAndAWatchdogForAnotherProcessGetReadyAndStoppingOnly() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let notify = try NotifySocket(abstract: true)
        let port = ServerProcess.freePort()
        let process = try launch(port: port, environment: ["NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "100000", "WATCHDOG_PID": "1"],
                                 output: folder.appendingPathComponent("sm.log"))
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let ready = try await notify.receive { !$0.isEmpty }
        #expect(ready.count == 1 && ready[0].hasPrefix("READY=1\n"), "\(ready)")
        #expect(await stop(process) == 0)
        let rest = notify.drain()
        #expect(rest.count == 1 && rest[0].hasPrefix("STOPPING=1\n"), "\(rest)")
    }

    @Test func linesForTheJournalCarryTheirPriorityAndNoTimestamp() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("journal.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        var info = stat()
        #expect(stat(output.path, &info) == 0)
        let port = ServerProcess.freePort()
        let process = try launch(port: port, environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"], output: output)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        for _ in 0..<600 where !accepts(port) { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(await stop(process) == 0)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").filter { $0.contains("disco-sm:") }
        #expect(lines.contains { $0.hasPrefix("<6>info disco-sm: cluster service started ") }, "\(lines)")
        #expect(lines.contains("<6>info disco-sm: stopped"), "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "\(lines)")
    }
}
