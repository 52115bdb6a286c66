import DiscoCore
import Foundation
import Synchronization
import Testing
@testable import DiscoServer

/// The request log as a client can shape it: one request is one line, whatever its path holds.
@Suite struct RequestLogTests {
    @Test func aForgedLineInThePathStaysInItsRequestsLine() async throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "disco-sm", level: .info) { line in lines.withLock { $0.append(line) } }
        let t = try await TestApp.make(logger: logger)
        defer { Task { await t.stop() } }
        let before = lines.withLock { $0.count }
        _ = await t.request("GET", "/x%0A2026-12-03T15:00:00Z%20info%20disco-sm:%20id=abc%20cluster%20deleted%0A")
        _ = await t.request("GET", "/y%1b[31mred%00nul")
        let logged = lines.withLock { Array($0[before...]) }
        #expect(logged.count == 2, "\(logged)")
        for line in logged {
            #expect(!line.contains("\n") && !line.contains("\u{1b}") && !line.contains("\u{0}"), "\(line)")
        }
        #expect(logged[0].contains(#"/x\n2026-12-03T15:00:00Z info disco-sm: id=abc cluster deleted\n"#), "\(logged[0])")
        #expect(logged[1].contains(#"/y\u{1b}[31mred\u{0}nul"#), "\(logged[1])")
    }
}
