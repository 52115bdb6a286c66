public import DiscoCore
public import Foundation

/// Writes log lines to a file descriptor from a dedicated thread, in batches.
///
/// ``write(_:urgent:)`` only appends to a buffer under a lock, so callers (Swift concurrency threads among them) never
/// make a system call per line. The writer thread wakes when the buffer goes from empty to non-empty, waits up to
/// ``batchDelay`` for more lines (so a busy server writes a few times per millisecond at most, not once per request),
/// then writes everything in one `write(2)`. Urgent lines (errors) skip the wait, so they reach the file in order and
/// at once. ``close()`` writes everything still buffered before it returns; lines logged after that are written
/// synchronously.
///
/// If the file cannot keep up (a stalled pipe), the buffer is capped at ``maxBufferedBytes``: further lines are dropped
/// and counted, and a `[N log lines dropped]` line is written once the backlog clears.
///
/// ```swift
/// let writer = LogWriter(fileDescriptor: 2)
/// let logger = Logger(label: "disco-sm", writer: writer)
/// …
/// await writer.close()   // before exit
/// ```
public final class LogWriter: LogLineWriting, @unchecked Sendable {
    /// Longest wait for more lines before a batch is written.
    public let batchDelay: TimeInterval
    /// Most bytes held before lines are dropped.
    public let maxBufferedBytes: Int

    private let fd: Int32
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [UInt8] = []
    private var urgentPending = false
    private var enqueued: UInt64 = 0
    private var written: UInt64 = 0
    private var dropped = 0
    private var totalDropped = 0
    private var writerWaiting = false
    private var closing = false
    private var finished = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var flushContinuations: [(target: UInt64, continuation: CheckedContinuation<Void, Never>)] = []

    /// Starts the writer thread.
    ///
    /// - Parameters:
    ///   - fileDescriptor: where lines go (stays open; the caller owns it).
    ///   - batchDelay: longest wait for more lines before a non-urgent batch is written.
    ///   - maxBufferedBytes: cap on the backlog; beyond it lines are dropped and counted.
    public init(fileDescriptor: Int32, batchDelay: TimeInterval = 0.005, maxBufferedBytes: Int = 8 << 20) {
        self.fd = fileDescriptor
        self.batchDelay = batchDelay
        self.maxBufferedBytes = maxBufferedBytes
        let thread = Thread { [self] in run() }
        thread.name = "disco-log-writer"
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Queues `line` plus a newline. `urgent` lines are written without waiting for a batch to fill.
    public func write(_ line: String, urgent: Bool = false) {
        condition.lock()
        if finished {
            condition.unlock()
            writeAll(Array((line + "\n").utf8))
            return
        }
        if pending.count + line.utf8.count >= maxBufferedBytes {
            dropped += 1
            totalDropped += 1
            condition.unlock()
            return
        }
        let wasEmpty = pending.isEmpty
        pending.append(contentsOf: line.utf8)
        pending.append(10)
        enqueued += 1
        if urgent { urgentPending = true }
        let wake = writerWaiting && (wasEmpty || urgent)
        condition.unlock()
        if wake { condition.broadcast() }
    }

    /// Returns once every line queued before the call has been written.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished || written >= enqueued {
                condition.unlock()
                continuation.resume()
                return
            }
            flushContinuations.append((enqueued, continuation))
            condition.unlock()
            condition.broadcast()
        }
    }

    /// Writes everything queued, then stops the writer thread; later lines are written synchronously.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            closing = true
            closeWaiters.append(continuation)
            condition.unlock()
            condition.broadcast()
        }
    }

    /// Lines dropped so far because the backlog was full.
    public var droppedLines: Int {
        condition.lock()
        defer { condition.unlock() }
        return totalDropped
    }

    // MARK: - Writer thread

    private func run() {
        var batch: [UInt8] = []
        condition.lock()
        while true {
            while pending.isEmpty && !closing {
                writerWaiting = true
                condition.wait()
                writerWaiting = false
            }
            if pending.isEmpty && closing { break }
            if !urgentPending && !closing && flushContinuations.isEmpty && pending.count < 64 << 10 {
                // Let a batch form; an urgent line, a flush or close wakes us early.
                writerWaiting = true
                _ = condition.wait(until: Date(timeIntervalSinceNow: batchDelay))
                writerWaiting = false
            }
            swap(&batch, &pending)
            urgentPending = false
            let target = enqueued
            let lost = dropped
            dropped = 0
            condition.unlock()
            writeAll(batch)
            if lost > 0 { writeAll(Array("[\(lost) log lines dropped: the log could not keep up]\n".utf8)) }
            batch.removeAll(keepingCapacity: batch.capacity <= 1 << 20)
            condition.lock()
            written = target
            resumeFlushes()
        }
        finished = true
        written = enqueued
        resumeFlushes()
        let waiters = closeWaiters
        closeWaiters.removeAll()
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Resumes the flushes that are satisfied; caller holds the lock.
    private func resumeFlushes() {
        guard !flushContinuations.isEmpty else { return }
        var waiting: [(target: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        for entry in flushContinuations {
            if entry.target <= written || finished { entry.continuation.resume() } else { waiting.append(entry) }
        }
        flushContinuations = waiting
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return  // closed or broken: nothing else to do with a log line
                }
            }
        }
    }
}

/// `write(2)`, named apart from ``LogWriter/write(_:urgent:)``.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
