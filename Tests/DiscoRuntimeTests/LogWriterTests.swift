import DiscoCore
@testable import DiscoRuntime
import Foundation
import Testing

@Suite struct LogWriterTests {
    /// A temporary file open for writing, and its contents.
    final class TempLog {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("logwriter-\(UUID().uuidString).log")
        let fd: Int32
        init() { fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
        var lines: [String] { (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [] }
        deinit {
            close(fd)
            try? FileManager.default.removeItem(at: url)
        }
    }

    @Test func everyLineFromConcurrentTasksIsWrittenOnCloseInPerTaskOrder() async {
        let file = TempLog()
        let writer = LogWriter(fileDescriptor: file.fd)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for i in 0..<2_500 { writer.write("t\(task) line \(i)", urgent: i % 500 == 0) }
                }
            }
        }
        await writer.close()
        let lines = file.lines
        #expect(lines.count == 10_000)
        for task in 0..<4 {
            let mine = lines.filter { $0.hasPrefix("t\(task) ") }
            #expect(mine == (0..<2_500).map { "t\(task) line \($0)" })
        }
        #expect(writer.droppedLines == 0)
    }

    @Test func flushWritesWhatWasQueuedBefore() async {
        let file = TempLog()
        let writer = LogWriter(fileDescriptor: file.fd, batchDelay: 60)  // only a flush can get these out soon
        writer.write("one")
        writer.write("two")
        await writer.flush()
        #expect(file.lines == ["one", "two"])
        writer.write("three", urgent: true)
        await writer.flush()
        #expect(file.lines == ["one", "two", "three"])
        await writer.close()
    }

    @Test func linesAfterCloseAreWrittenAtOnce() async {
        let file = TempLog()
        let writer = LogWriter(fileDescriptor: file.fd)
        writer.write("before")
        await writer.close()
        writer.write("after")
        #expect(file.lines == ["before", "after"])
        await writer.close()  // a second close is harmless
        await writer.flush()
    }

    @Test func aStalledPipeDropsLinesAndSaysSo() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writer = LogWriter(fileDescriptor: fds[1], batchDelay: 0, maxBufferedBytes: 1_000)
        let line = String(repeating: "x", count: 99)
        for _ in 0..<2_000 { writer.write(line) }  // 200 KB: more than the pipe (64 KiB) and the buffer hold
        // Nobody reads the pipe yet, so the writer thread is stuck and the buffer is full.
        #expect(writer.droppedLines > 0)
        let reader = PipeReader(fd: fds[0])
        await writer.close()
        close(fds[1])
        let text = await reader.text()
        close(fds[0])
        let written = text.split(separator: "\n").filter { $0 == line }.count
        #expect(written + writer.droppedLines == 2_000)
        #expect(text.contains("log lines dropped"))
    }

    @Test func loggerThroughAWriterWritesTheSameLinesAsThroughASink() async {
        let file = TempLog()
        let writer = LogWriter(fileDescriptor: file.fd)
        let collected = Lines()
        let buffered = Logger(label: "t", level: .info, writer: writer).with("request.id", "r1")
        let direct = Logger(label: "t", level: .info, sink: { collected.append($0) }).with("request.id", "r1")
        for logger in [buffered, direct] {
            logger.info("request", ["status": "200", "peer": "a b", "q": #"say "hi""#])
            logger.error("failed password=hunter2")
            logger.debug("not shown")
        }
        await writer.close()
        let strip = { (line: String) in String(line.drop { $0 != " " }) }  // the timestamp may differ by a second
        #expect(file.lines.map(strip) == collected.all.map(strip))
        #expect(collected.all.count == 2)
        #expect(strip(collected.all[0]) == #" info t: request peer="a b" q="say 'hi'" request.id=r1 status=200"#)
        #expect(!file.lines.joined().contains("hunter2"))
        #expect(collected.all[0].prefix(20).wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    private var waiter: CheckedContinuation<String, Never>?

    init(fd: Int32) {
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                lock.withLock { data.append(contentsOf: buffer[0..<n]) }
            }
            let resume = lock.withLock { () -> CheckedContinuation<String, Never>? in
                done = true
                defer { waiter = nil }
                return waiter
            }
            resume?.resume(returning: String(decoding: lock.withLock { data }, as: UTF8.self))
        }.start()
    }

    func text() async -> String {
        await withCheckedContinuation { continuation in
            let ready: String? = lock.withLock {
                if done { return String(decoding: data, as: UTF8.self) }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
