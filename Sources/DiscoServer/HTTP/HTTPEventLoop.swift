import CDiscoSystem
import Foundation
import Glibc

/// The `poll()` loop behind ``HTTPServer``; everything but `post`/`enqueue`/`beginDrain`/`statistics` runs on its thread.
///
/// It is also a `TaskExecutor`: handler tasks of quick requests (``HTTPServer/Configuration/runsOnEventLoop``) prefer
/// it, so their jobs run on the loop thread between `poll()` calls.
final class HTTPEventLoop: TaskExecutor, @unchecked Sendable {
    private struct Completion {
        let connection: HTTPConnection
        let sequence: UInt64
        let bytes: [UInt8]
        let keepAlive: Bool
    }

    private let configuration: HTTPServer.Configuration
    private let group: HTTPLoopGroup
    /// This loop's index in its group.
    private let index: Int
    private let handler: HTTPHandler
    private let logger: @Sendable (String) -> Void
    private let onFinish: @Sendable () -> Void
    private let limits: HTTPParserLimits

    private var listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // Shared state, guarded by `lock`.
    private let lock = NSLock()
    private var completions: [Completion] = []
    /// Jobs of tasks that prefer this executor.
    private var jobs: [UnownedJob] = []
    /// Set once the loop thread runs; posts and jobs from that thread need no wake-up.
    private var loopThread: pthread_t?
    private var wakePending = false
    private var exited = false
    private var drainRequested = false
    private var sharedStats = HTTPServer.Statistics()

    // Loop-thread state.
    private var connections: [HTTPConnection] = []
    private var pollFDs: [pollfd] = []
    private var pollConnections: [HTTPConnection?] = []
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    private var now: UInt64 = 0
    private var nextSweep: UInt64 = .max
    private var draining = false
    private var drainDeadline: UInt64 = .max
    private var acceptPausedUntil: UInt64 = 0
    private var stats = HTTPServer.Statistics()
    private var thread: Thread?

    private let idleNS, headNS, readNS, handlerNS, writeNS, drainNS, lingerNS: UInt64

    init(
        listener: Int32,
        configuration: HTTPServer.Configuration,
        group: HTTPLoopGroup,
        index: Int,
        handler: @escaping HTTPHandler,
        logger: @escaping @Sendable (String) -> Void,
        onFinish: @escaping @Sendable () -> Void
    ) {
        self.listener = listener
        self.configuration = configuration
        self.group = group
        self.index = index
        self.handler = handler
        self.logger = logger
        self.onFinish = onFinish
        self.limits = configuration.parserLimits
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        try? Socket.setNonBlocking(wakeRead)
        try? Socket.setNonBlocking(wakeWrite)
        idleNS = HTTPEventLoop.nanoseconds(configuration.idleTimeout)
        headNS = HTTPEventLoop.nanoseconds(configuration.headTimeout)
        readNS = HTTPEventLoop.nanoseconds(configuration.readTimeout)
        handlerNS = HTTPEventLoop.nanoseconds(configuration.handlerTimeout)
        writeNS = HTTPEventLoop.nanoseconds(configuration.writeTimeout)
        drainNS = HTTPEventLoop.nanoseconds(configuration.drainTimeout)
        lingerNS = HTTPEventLoop.nanoseconds(configuration.lingerTimeout)
    }

    deinit {
        guard thread == nil else { return }  // never started: the loop did not close the pipe
        if wakeRead >= 0 { Glibc.close(wakeRead) }
        if wakeWrite >= 0 { Glibc.close(wakeWrite) }
    }

    /// Whether the wake-up pipe was created (``start()`` needs it).
    var isReady: Bool { wakeRead >= 0 && wakeWrite >= 0 }

    func start() {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "disco-http-\(index)"
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    // MARK: - Cross-thread API

    /// Asks the loop to drain and finish.
    func beginDrain() {
        lock.lock()
        drainRequested = true
        lock.unlock()
        wake()
    }

    /// Last resort when the owning server is deallocated while running.
    func forceShutdown() { beginDrain() }

    var statistics: HTTPServer.Statistics {
        lock.lock()
        defer { lock.unlock() }
        return sharedStats
    }

    private var isDrainRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return drainRequested
    }

    private func post(_ completion: Completion) {
        lock.lock()
        defer { lock.unlock() }
        if exited { return }
        completions.append(completion)
        if !wakePending && !isLoopThreadLocked {
            wakePending = true
            wakeLocked()
        }
    }

    /// Queues a job of a task preferring this executor; it runs on the loop thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        lock.lock()
        if exited {
            lock.unlock()
            // A handler resumed after the loop finished: run it on a Dispatch thread, as the global executor would.
            runElsewhere([job])
            return
        }
        jobs.append(job)
        if !wakePending && !isLoopThreadLocked {
            wakePending = true
            wakeLocked()
        }
        lock.unlock()
    }

    /// Whether the caller is the loop thread (which picks up queued work before it polls again); caller holds `lock`.
    private var isLoopThreadLocked: Bool {
        guard let loopThread else { return false }
        return pthread_equal(loopThread, pthread_self()) != 0
    }

    private func runElsewhere(_ jobs: [UnownedJob]) {
        guard !jobs.isEmpty else { return }
        let executor = asUnownedTaskExecutor()
        DispatchQueue.global().async {
            for job in jobs { job.runSynchronously(on: executor) }
        }
    }

    /// Interrupts `poll()` (the loop rebuilds its poll set).
    func wake() {
        lock.lock()
        defer { lock.unlock() }
        if !exited { wakeLocked() }
    }

    /// Writes a byte to the wake pipe; caller holds `lock` and has checked `exited`
    /// (so the pipe is still open and its fd number cannot have been reused).
    private func wakeLocked() {
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
    }

    // MARK: - Loop

    private func runLoop() {
        lock.withLock { loopThread = pthread_self() }
        _ = disco_set_current_thread_name("disco-http-\(index)")  // for top -H and perf (Linux threads inherit their creator's)
        now = HTTPEventLoop.monotonicNow()
        while true {
            buildPollSet()
            let timeout = hasQueuedWork ? 0 : pollTimeout()
            let n = pollFDs.withUnsafeMutableBufferPointer { p in
                poll(p.baseAddress, nfds_t(p.count), timeout)
            }
            now = HTTPEventLoop.monotonicNow()
            if n < 0 && errno != EINTR {
                logger("poll failed: \(String(cString: strerror(errno)))")
                usleep(10_000)
            }
            if n > 0 { handleEvents() }
            runQueued()
            if !draining && isDrainRequested { startDraining() }
            if now >= nextSweep { sweep() }
            publishStats()
            if draining && (connections.isEmpty || now >= drainDeadline) { break }
        }
        for connection in connections { close(connection, reason: "drain timeout") }
        publishStats()
        lock.lock()
        exited = true
        completions.removeAll()
        let leftover = jobs
        jobs.removeAll()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
        lock.unlock()
        runElsewhere(leftover)  // tasks still suspended at the drain timeout finish (cancelled) off the loop
        group.loopFinished()
        onFinish()
    }

    private func buildPollSet() {
        pollFDs.removeAll(keepingCapacity: true)
        pollConnections.removeAll(keepingCapacity: true)
        pollFDs.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
        pollConnections.append(nil)
        if listener >= 0 && now >= acceptPausedUntil && group.isLeastLoaded(index) {
            pollFDs.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0))
            pollConnections.append(nil)
        }
        for c in connections {
            let events: Int16
            switch c.state {
            case .reading, .lingering: events = Int16(POLLIN)
            case .writing: events = Int16(POLLOUT)
            case .handling, .closed: continue
            }
            pollFDs.append(pollfd(fd: c.fd, events: events, revents: 0))
            pollConnections.append(c)
        }
    }

    private func pollTimeout() -> Int32 {
        var until = nextSweep
        if listener >= 0 && acceptPausedUntil > now { until = min(until, acceptPausedUntil) }
        if draining { until = min(until, drainDeadline) }
        if until == .max { return -1 }
        if until <= now { return 0 }
        let ms = (until - now + 999_999) / 1_000_000
        return Int32(min(ms, 60_000))
    }

    private func handleEvents() {
        var listenerReady = false
        for i in 0..<pollFDs.count {
            let revents = pollFDs[i].revents
            if revents == 0 { continue }
            let fd = pollFDs[i].fd
            if fd == wakeRead {
                drainWakePipe()
            } else if fd == listener, pollConnections[i] == nil {
                listenerReady = true
            } else if let c = pollConnections[i] {
                switch c.state {
                case .reading:
                    readAvailable(c)
                case .writing:
                    if revents & Int16(POLLOUT) != 0 || revents & Int16(POLLERR | POLLHUP) != 0 { flush(c) }
                case .lingering:
                    lingerRead(c)
                case .handling, .closed:
                    break
                }
            }
        }
        // Accept last: input that arrived with the new connection is read first, so a connection part-way through a
        // request is never taken for an idle one when one has to make room.
        if listenerReady { acceptConnections() }
    }

    private func drainWakePipe() {
        while scratch.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, 256) }) > 0 {}
    }

    private var hasQueuedWork: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !jobs.isEmpty || !completions.isEmpty
    }

    /// Runs queued jobs and sends finished responses, a few rounds (a job may finish a response, whose send may
    /// dispatch a pipelined request, whose task queues a job); what is left makes the next `poll()` not wait.
    private func runQueued() {
        let executor = asUnownedTaskExecutor()
        for _ in 0..<8 {
            lock.lock()
            if jobs.isEmpty && completions.isEmpty {
                wakePending = false
                lock.unlock()
                return
            }
            let ready = jobs
            let taken = completions
            jobs.removeAll(keepingCapacity: true)
            completions.removeAll(keepingCapacity: true)
            wakePending = false
            lock.unlock()
            for job in ready { job.runSynchronously(on: executor) }
            deliver(taken)
        }
    }

    private func deliver(_ taken: [Completion]) {
        for completion in taken {
            let c = completion.connection
            guard c.state == .handling, c.sequence == completion.sequence else { continue }  // timed out or closed
            c.task = nil
            stats.inFlight -= 1
            let keep = completion.keepAlive && !draining
            send(c, completion.bytes, then: keep ? .resumeReading : .lingerClose)
        }
    }

    // MARK: - Accept

    private func acceptConnections() {
        for _ in 0..<256 {
            if !group.isLeastLoaded(index) {
                group.wakeOthers(except: index)  // a less loaded loop takes the rest
                return
            }
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &len) }
            }
            if fd < 0 {
                let e = errno
                switch e {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED, EPROTO: continue
                case EINVAL where draining || isDrainRequested:
                    listener = -1  // another loop of the group shut the listener down
                    return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    logger("accept failed: \(String(cString: strerror(e))); pausing accepts for 100 ms")
                    acceptPausedUntil = now + 100_000_000
                    return
                default:
                    logger("accept failed: \(String(cString: strerror(e)))")
                    acceptPausedUntil = now + 10_000_000
                    return
                }
            }
            if (try? Socket.setNonBlocking(fd)) == nil {
                Glibc.close(fd)
                continue
            }
            stats.acceptedConnections += 1
            let peer = Socket.address(storage).host
            if !group.reservePeer(peer) {
                stats.peerLimitedConnections += 1
                refuse(fd, .text(429, "too many connections from \(peer): at most \(group.maxConnectionsPerPeer) at once\n"))
                continue
            }
            if !reserveSlot() {
                group.releasePeer(peer)
                stats.rejectedConnections += 1
                refuse(fd, .text(503, "too many connections\n"))
                continue
            }
            Socket.setNoDelay(fd)
            let c = HTTPConnection(fd: fd, remoteAddress: Socket.describe(storage), peer: peer, limits: limits)
            c.slot = connections.count
            connections.append(c)
            stats.openConnections = connections.count
            setDeadline(c, now + idleNS)
        }
    }

    /// Answers `response` on a connection that gets no slot, and closes it.
    private func refuse(_ fd: Int32, _ response: HTTPServerResponse) {
        let bytes = response.serialized(isHead: false, keepAlive: false)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        // Discard what the client already sent so close() does not reset the connection
        // (an RST can destroy the answer before the client reads it).
        shutdown(fd, Int32(SHUT_WR))
        for _ in 0..<4 {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
        }
        Glibc.close(fd)
    }

    /// Takes a slot for a new connection. At capacity an idle keep-alive (or never-used) connection of this loop
    /// yields its slot to the newcomer, else the one that has been reading a request head longest, so neither idle
    /// nor stalled connections lock out real clients. Reserving before evicting (and again after each eviction)
    /// keeps another loop's concurrent accept from taking the freed slot unseen.
    private func reserveSlot() -> Bool {
        while !group.reserve(index) {
            if let victim = oldestIdleConnection() {
                stats.evictedConnections += 1
                close(victim, reason: "evicted at capacity")
            } else if let victim = oldestHeadReader() {
                stats.evictedConnections += 1
                logger("\(victim.remoteAddress): evicted at capacity while sending its request head")
                close(victim, reason: "evicted at capacity")
            } else {
                return false
            }
        }
        return true
    }

    /// The connection of this loop that started a request longest ago and has not finished its head, if any.
    private func oldestHeadReader() -> HTTPConnection? {
        var best: HTTPConnection? = nil
        for c in connections where c.state == .reading && (c.requestStarted || c.parser.isMidRequest) && !c.parser.isReadingBody {
            if best == nil || c.requestStartNS < best!.requestStartNS { best = c }
        }
        return best
    }

    /// The idle connection (no request in progress) that has been idle longest, if any.
    private func oldestIdleConnection() -> HTTPConnection? {
        var best: HTTPConnection? = nil
        for c in connections where c.state == .reading && !c.requestStarted && !c.parser.isMidRequest && c.input.isEmpty {
            if best == nil || c.deadline < best!.deadline { best = c }
        }
        return best
    }

    // MARK: - Read

    private func readAvailable(_ c: HTTPConnection) {
        var total = 0
        while total < 256 * 1024 {
            let n = scratch.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                scratch.withUnsafeBytes { c.input.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                total += n
                if n < scratch.count { break }
            } else if n == 0 {
                c.peerClosed = true
                break
            } else {
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN || e == EWOULDBLOCK { break }
                close(c, reason: "recv: \(String(cString: strerror(e)))")
                return
            }
        }
        processInput(c)
    }

    /// Parses what is buffered; dispatches a complete request, answers errors, or waits.
    private func processInput(_ c: HTTPConnection) {
        guard c.state == .reading else { return }
        if !c.requestStarted && !c.input.isEmpty {
            c.requestStarted = true
            c.requestStartNS = now
            c.startTime = .now
            c.receivedAt = Date()
            c.headReceived = false
            setDeadline(c, now + min(headNS, readNS))
        }
        let event: HTTPRequestParser.Event
        do {
            event = try c.parser.parse(&c.input)
        } catch {
            fail(c, error)
            return
        }
        switch event {
        case .needMore:
            c.input.compact()
            if c.requestStarted && !c.headReceived && c.parser.isReadingBody {
                c.headReceived = true
                setDeadline(c, c.requestStartNS + readNS)
            }
            if c.peerClosed {
                close(c, reason: "peer closed")
            } else if !c.parser.isMidRequest && c.input.isEmpty {
                // Nothing of a request yet (e.g. only blank lines): idle.
                if c.requestStarted {
                    c.requestStarted = false
                    setDeadline(c, now + (draining ? 0 : idleNS))
                }
            }
        case .expectContinue:
            if c.input.isEmpty && !c.peerClosed {
                send(c, HTTPEventLoop.continueBytes, then: .resumeReading)
            } else {
                processInput(c)
            }
        case .request(let parsed):
            dispatch(c, parsed)
        }
    }

    private static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private func fail(_ c: HTTPConnection, _ error: HTTPParseError) {
        logger("\(c.remoteAddress): \(error.status) \(error)")
        let response = HTTPServerResponse.text(error.status, "\(error)\n")
        send(c, response.serialized(isHead: false, keepAlive: false), then: .lingerClose)
    }

    private func dispatch(_ c: HTTPConnection, _ parsed: ParsedRequest) {
        c.sequence &+= 1
        let sequence = c.sequence
        let (path, query) = HTTPServerRequest.splitTarget(parsed.target)
        guard let path else {
            fail(c, .badRequest("invalid percent-encoding in request target"))
            return
        }
        var requestID: String? = nil
        if let id = parsed.headers["X-Request-ID"], RequestIDGenerator.isValid(id) { requestID = id }
        let request = HTTPServerRequest(
            method: parsed.method,
            target: parsed.target,
            path: path,
            query: query,
            version: parsed.version,
            headers: parsed.headers,
            body: parsed.body,
            remoteAddress: c.remoteAddress,
            requestID: requestID,
            startTime: c.startTime,
            receivedAt: c.receivedAt
        )
        let isHead = parsed.method == "HEAD"
        let keepAlive = parsed.keepAlive && !draining
        c.state = .handling
        c.requestStarted = false
        setDeadline(c, now + handlerNS)
        stats.requests += 1
        stats.inFlight += 1
        let handler = self.handler
        let operation: @Sendable () async -> Void = { [self] in
            let response = await handler(request)
            if Task.isCancelled { return }
            let keep = keepAlive && !response.wantsClose
            let bytes = response.serialized(isHead: isHead, keepAlive: keep && !isDrainRequested)
            post(Completion(connection: c, sequence: sequence, bytes: bytes, keepAlive: keep))
        }
        if configuration.runsOnEventLoop(request) {
            c.task = Task(executorPreference: self, operation: operation)
        } else {
            c.task = Task(operation: operation)
        }
    }

    // MARK: - Write

    private func send(_ c: HTTPConnection, _ bytes: [UInt8], then after: HTTPConnection.AfterWrite) {
        c.output = bytes
        c.outputIndex = 0
        c.afterWrite = after
        c.state = .writing
        setDeadline(c, now + writeNS)
        flush(c)
    }

    private func flush(_ c: HTTPConnection) {
        while c.outputIndex < c.output.count {
            let start = c.outputIndex
            let n = c.output.withUnsafeBytes { p in
                Glibc.send(c.fd, p.baseAddress! + start, p.count - start, Int32(MSG_NOSIGNAL))
            }
            if n >= 0 {
                c.outputIndex += n
            } else {
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN || e == EWOULDBLOCK { return }  // wait for POLLOUT
                close(c, reason: "send: \(String(cString: strerror(e)))")
                return
            }
        }
        let written = c.output.count
        c.output = []
        c.outputIndex = 0
        if written >= configuration.largeResponseBytes { configuration.largeResponseWritten() }
        switch c.afterWrite {
        case .resumeReading:
            c.state = .reading
            if draining && !c.parser.isMidRequest && c.input.isEmpty {
                close(c, reason: "drain")
                return
            }
            setDeadline(c, c.requestStarted ? c.requestStartNS + readNS : now + idleNS)
            processInput(c)
        case .lingerClose:
            startLinger(c)
        }
    }

    private func startLinger(_ c: HTTPConnection) {
        if c.peerClosed {
            close(c, reason: "done")
            return
        }
        shutdown(c.fd, Int32(SHUT_WR))
        c.state = .lingering
        c.lingerDiscarded = 0
        setDeadline(c, now + lingerNS)
    }

    private func lingerRead(_ c: HTTPConnection) {
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                c.lingerDiscarded += n
                if c.lingerDiscarded > 4 * 1024 * 1024 { close(c, reason: "linger limit"); return }
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return
            } else {
                close(c, reason: "linger done")
                return
            }
        }
    }

    // MARK: - Timeouts

    private func setDeadline(_ c: HTTPConnection, _ deadline: UInt64) {
        c.deadline = deadline
        if deadline < nextSweep { nextSweep = deadline }
    }

    private func sweep() {
        var next: UInt64 = now + 1_000_000_000
        var i = 0
        while i < connections.count {
            let c = connections[i]
            if c.deadline <= now {
                expire(c)
            }
            if c.state != .closed {
                if c.deadline < next { next = c.deadline }
                i += 1
            }
            // a closed connection was swapped out of slot i; re-examine slot i
        }
        nextSweep = next
    }

    private func expire(_ c: HTTPConnection) {
        switch c.state {
        case .reading:
            if c.requestStarted || c.parser.isMidRequest {
                logger("\(c.remoteAddress): 408 request not received within read timeout")
                let response = HTTPServerResponse.text(408, "request timeout\n")
                send(c, response.serialized(isHead: false, keepAlive: false), then: .lingerClose)
            } else {
                close(c, reason: "idle timeout")
            }
        case .handling:
            logger("\(c.remoteAddress): handler exceeded \(configuration.handlerTimeout); answering 503")
            c.task?.cancel()
            c.task = nil
            stats.inFlight -= 1
            let response = HTTPServerResponse.text(503, "handler timed out\n")
            send(c, response.serialized(isHead: false, keepAlive: false), then: .lingerClose)
        case .writing:
            close(c, reason: "write timeout")
        case .lingering:
            close(c, reason: "linger timeout")
        case .closed:
            break
        }
    }

    // MARK: - Drain

    private func startDraining() {
        draining = true
        drainDeadline = now + drainNS
        if listener >= 0 {
            // Refuses new connections; the server closes the descriptor once every loop of the group has finished.
            shutdown(listener, Int32(SHUT_RDWR))
            listener = -1
        }
        var i = 0
        while i < connections.count {
            let c = connections[i]
            if c.state == .reading && !c.requestStarted && !c.parser.isMidRequest && c.input.isEmpty {
                close(c, reason: "drain")
            } else {
                i += 1
            }
        }
    }

    // MARK: - Close

    private func close(_ c: HTTPConnection, reason: String) {
        guard c.state != .closed else { return }
        if c.state == .handling {
            c.task?.cancel()
            stats.inFlight -= 1
        }
        c.task = nil
        c.state = .closed
        Glibc.close(c.fd)
        // swap-remove
        let slot = c.slot
        let last = connections.count - 1
        if slot != last {
            connections[slot] = connections[last]
            connections[slot].slot = slot
        }
        connections.removeLast()
        group.release(index, peer: c.peer)
        c.slot = -1
        c.input = InputBuffer()
        c.output = []
        stats.openConnections = connections.count
    }

    private func publishStats() {
        lock.lock()
        sharedStats = stats
        lock.unlock()
    }

    // MARK: - Time

    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func nanoseconds(_ d: Duration) -> UInt64 {
        let (s, atto) = d.components
        if s < 0 { return 0 }
        return UInt64(s) * 1_000_000_000 + UInt64(atto / 1_000_000_000)
    }
}
