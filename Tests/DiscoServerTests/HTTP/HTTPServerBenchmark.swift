import Foundation
import Testing
@testable import DiscoServer

/// Loopback throughput check with `wrk`; not a unit test. Run with
/// `DISCO_HTTP_BENCH=1 [DISCO_HTTP_BENCH_IDLE=1000] swift test -c release -Xswiftc -enable-testing --filter HTTPServerBenchmark`.
@Suite("HTTP server benchmark")
struct HTTPServerBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DISCO_HTTP_BENCH"] != nil))
    func wrkKeepAlive() async throws {
        let server = HTTPServer(configuration: .init(port: 0)) { _ in .text(200, "hello world\n") }
        let port = try server.start()
        let env = ProcessInfo.processInfo.environment
        // Optionally hold idle connections open during the run (slowloris-style background load).
        let idleCount = Int(env["DISCO_HTTP_BENCH_IDLE"] ?? "0") ?? 0
        let idle = try await offload { try (0..<idleCount).map { _ in try RawClient(port: port) } }
        _ = await eventually { server.statistics.acceptedConnections >= idleCount }
        let args = (env["DISCO_HTTP_BENCH_ARGS"] ?? "-t 2 -c 64 -d 10s").split(separator: " ").map(String.init)
        let output = try await offload { () -> String in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
            p.arguments = args + ["http://127.0.0.1:\(port)/"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        print("wrk \(args.joined(separator: " ")) http://127.0.0.1:\(port)/\n\(output)")
        print("server statistics: \(server.statistics)")
        withExtendedLifetime(idle) {}
        await server.stop()
    }
}
