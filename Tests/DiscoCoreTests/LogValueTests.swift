import Synchronization
import Testing
@testable import DiscoCore

/// Every value a log line carries, fields and message, passes the redaction and has its control characters escaped:
/// one event is one line, with no secret and nothing a terminal would act on.
@Suite struct LogValueTests {
    /// The lines a logger at `debug` writes.
    final class Capture: Sendable {
        let lines = Mutex<[String]>([])
        var logger: Logger { Logger(label: "disco-sm", level: .debug) { line in self.lines.withLock { $0.append(line) } } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func controlCharactersAreEscapedAndPlainTextKept() {
        #expect(LogValue.escapingControls("a\r\nb\tc\u{7f}\u{85}\u{2028}\u{0}\u{1b}[31m") == #"a\r\nb\tc\u{7f}\u{85}\u{2028}\u{0}\u{1b}[31m"#)
        #expect(LogValue.escapingControls("GET /api/v1/clusters/{id} ü") == "GET /api/v1/clusters/{id} ü")
    }

    @Test func secretsInAValueAreRedacted() {
        #expect(!LogValue.clean("inject: {'jupyter': {'password': 'LeakMePw123456'}}").contains("LeakMePw123456"))
        #expect(!LogValue.clean("jupyter.password=\"LeakMePw123456").contains("LeakMePw123456"))
        #expect(LogValue.clean("/api/v1/tokens") == "/api/v1/tokens")
    }

    /// Finding 3 of issue 22: the request log's `error=` field carried a password the redaction would have caught.
    @Test func everyFieldIsRedacted() {
        let capture = Capture()
        capture.logger.info("request", ["error": "X-OCCI-Attribute: near \"jupyter.password=LeakMePw123456\"", "route": "/disco/"])
        capture.logger.log(.info, "request", sortedFields: [("error", "token: gAAAAsecretsecret"), ("method", "POST")])
        capture.logger.with("reason", "secret=hunter2hunter2").info("cluster failed")
        let lines = capture.all
        #expect(lines.count == 3)
        for secret in ["LeakMePw123456", "gAAAAsecretsecret", "hunter2hunter2"] {
            #expect(!lines.contains { $0.contains(secret) }, "\(lines)")
        }
        #expect(lines.allSatisfy { $0.contains("[redacted]") }, "\(lines)")
    }

    /// Finding 4 of issue 22: a field or message holding a line break wrote a second, forged line.
    @Test func aValueCannotStartALineOrDriveATerminal() {
        let capture = Capture()
        let forged = "/x\n2026-12-03T15:00:00Z info disco-sm: cluster=abc cluster deleted\n"
        capture.logger.info("request", ["route": forged, "method": "G\u{1b}[31mET\u{0}"])
        capture.logger.warning("cluster abc: \(forged)\r\u{1b}]0;title\u{7}")
        let lines = capture.all
        #expect(lines.count == 2)
        for line in lines {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(line)")
        }
        #expect(lines[0].contains(#"route="/x\n2026-12-03T15:00:00Z info disco-sm: cluster=abc cluster deleted\n""#), "\(lines[0])")
        #expect(lines[0].contains(#"method=G\u{1b}[31mET\u{0}"#), "\(lines[0])")
        #expect(lines[1].hasSuffix(#"cluster deleted\n\r\u{1b}]0;title\u{7}"#), "\(lines[1])")
    }
}
