import Foundation
import Synchronization
import Testing
@testable import DiscoCore

/// Lines for journald carry their syslog priority and no timestamp (journald stamps them).
@Suite struct LoggerLineStyleTests {
    @Test func journalLinesStartWithTheirPriorityAndTimestampedOnesWithTheTime() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "disco-sm", level: .debug) { line in lines.withLock { $0.append(line) } }
        logger.info("started", ["port": "8888"])
        logger.lineStyle = .journal
        logger.debug("polled")
        logger.info("started", ["port": "8888"])
        logger.warning("slow")
        logger.error("failed")
        logger.log(.critical, "gone")
        let written = lines.withLock { $0 }
        #expect(written.count == 6)
        #expect(written.first?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ info disco-sm: started port=8888$"#, options: .regularExpression) != nil,
                "\(written)")
        #expect(Array(written.dropFirst()) == ["<7>debug disco-sm: polled", "<6>info disco-sm: started port=8888",
                                               "<4>warning disco-sm: slow", "<3>error disco-sm: failed", "<2>critical disco-sm: gone"])
    }
}
