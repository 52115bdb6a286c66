import Foundation
import Glibc

/// Handles one request; the server owns framing, limits and timeouts.
///
/// Handlers run as Swift tasks on the cooperative pool (quick ones on the event-loop thread, see
/// ``HTTPServer/Configuration/runsOnEventLoop``) and must not block.
typealias HTTPHandler = @Sendable (HTTPServerRequest) async -> HTTPServerResponse

/// A handler that may throw; see ``HTTPServer/init(configuration:throwingHandler:logger:)``.
typealias HTTPThrowingHandler = @Sendable (HTTPServerRequest) async throws -> HTTPServerResponse

/// An HTTP/1.1 server on POSIX sockets.
///
/// One dedicated thread runs a `poll()` event loop over non-blocking sockets: it accepts,
/// reads, parses (incrementally), enforces limits and timeouts and writes responses. Each
/// complete request is handed to the async ``HTTPHandler`` in its own `Task`; the response
/// comes back to the loop through a queue and a wake-up pipe. No Swift concurrency thread
/// ever blocks on I/O. Quick requests (``Configuration/runsOnEventLoop``) run their task on the
/// loop thread itself, which is also a `TaskExecutor`.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(port: 0)) { request in
///     .text(200, "hello \(request.path)\n")
/// }
/// let port = try server.start()
/// let signals = server.stopOnSignals()
/// await server.run()   // returns after stop() has drained
/// ```
final class HTTPServer: @unchecked Sendable {
    /// Listening address, limits and timeouts.
    struct Configuration: Sendable {
        /// Address to bind: numeric IPv4/IPv6, `"localhost"`, or `"0.0.0.0"` / `"::"` for all.
        var host: String = "127.0.0.1"
        /// TCP port; `0` picks an ephemeral port (see ``HTTPServer/listeningPort``).
        var port: Int = 8888
        /// Connection limit. At the limit a new connection displaces the longest-idle one (no request
        /// in progress), else the one that has been sending its request head longest; if every connection is
        /// busy (in a handler, a body or a response) it is answered `503` and closed at once.
        var maxConnections: Int = 1024
        /// Connections one client address may hold at once; more are answered `429` and closed at once.
        var maxConnectionsPerPeer: Int = 128
        /// Time to receive a request's line and header fields once its first byte arrived; then `408` and close.
        var headTimeout: Duration = .seconds(5)
        /// Longest request line; longer is answered `414`.
        var maxRequestLineBytes: Int = 8 * 1024
        /// Request line plus header fields; more is answered `431`.
        var maxHeaderBytes: Int = 64 * 1024
        /// Header fields per request; more is answered `431`.
        var maxHeaderCount: Int = 100
        /// Request body (after de-chunking); more is answered `413`.
        var maxBodyBytes: Int = 1024 * 1024
        /// A keep-alive connection with no request in progress is closed silently after this.
        var idleTimeout: Duration = .seconds(30)
        /// Time to receive a whole request once its first byte arrived; then `408` and close.
        var readTimeout: Duration = .seconds(10)
        /// A handler taking longer gets its task cancelled and the client a `503`.
        var handlerTimeout: Duration = .seconds(30)
        /// A response the client does not read within this is abandoned and the connection closed.
        var writeTimeout: Duration = .seconds(30)
        /// ``HTTPServer/stop()`` waits this long for in-flight requests before closing everything.
        var drainTimeout: Duration = .seconds(10)
        /// After a final response, unread input is drained this long before closing (avoids RST eating the response).
        var lingerTimeout: Duration = .seconds(2)
        /// `listen()` backlog.
        var backlog: Int32 = 1024
        /// Requests whose handler task should run on the event-loop thread (its executor preference) instead of the
        /// cooperative pool. A handler that does not suspend then answers in the same loop iteration, without waking
        /// another thread twice; one that suspends (a busy actor, network I/O) resumes on the loop thread later.
        /// Only for handlers that are quick (well under a millisecond of CPU) and never block: the loop serves every
        /// connection. Default: none.
        var runsOnEventLoop: @Sendable (HTTPServerRequest) -> Bool = { _ in false }
        /// Event-loop threads; each new connection goes to the one with the fewest. With more than one, a new
        /// connection at ``maxConnections`` displaces the longest-idle connection of the loop that accepts it.
        var eventLoops: Int = 1
        /// Called (on the event-loop thread; must return at once) after a response of at least
        /// ``largeResponseBytes`` has been written and its buffers freed — the moment to hand freed heap back.
        var largeResponseWritten: @Sendable () -> Void = {}
        /// The response size, head and body, from which ``largeResponseWritten`` is called.
        var largeResponseBytes: Int = 256 * 1024

        init(
            host: String = "127.0.0.1",
            port: Int = 8888,
            maxConnections: Int = 1024,
            maxRequestLineBytes: Int = 8 * 1024,
            maxHeaderBytes: Int = 64 * 1024,
            maxHeaderCount: Int = 100,
            maxBodyBytes: Int = 1024 * 1024,
            idleTimeout: Duration = .seconds(30),
            readTimeout: Duration = .seconds(10),
            handlerTimeout: Duration = .seconds(30),
            writeTimeout: Duration = .seconds(30),
            drainTimeout: Duration = .seconds(10),
            lingerTimeout: Duration = .seconds(2),
            backlog: Int32 = 1024
        ) {
            self.host = host
            self.port = port
            self.maxConnections = maxConnections
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.idleTimeout = idleTimeout
            self.readTimeout = readTimeout
            self.handlerTimeout = handlerTimeout
            self.writeTimeout = writeTimeout
            self.drainTimeout = drainTimeout
            self.lingerTimeout = lingerTimeout
            self.backlog = backlog
        }

        var parserLimits: HTTPParserLimits {
            HTTPParserLimits(
                maxRequestLineBytes: maxRequestLineBytes,
                maxHeaderBytes: maxHeaderBytes,
                maxHeaderCount: maxHeaderCount,
                maxBodyBytes: maxBodyBytes
            )
        }
    }

    /// Counters for tests and diagnostics.
    struct Statistics: Sendable, Equatable {
        /// Connections currently open (including ones lingering before close).
        var openConnections = 0
        var acceptedConnections = 0
        /// Idle connections closed to make room for new ones at ``Configuration/maxConnections``.
        var evictedConnections = 0
        /// Connections answered `503` because of ``Configuration/maxConnections`` (all slots busy).
        var rejectedConnections = 0
        /// Connections answered `429` because of ``Configuration/maxConnectionsPerPeer``.
        var peerLimitedConnections = 0
        var requests = 0
        /// Requests in a handler right now.
        var inFlight = 0
    }

    let configuration: Configuration
    private let handler: HTTPHandler
    private let logger: @Sendable (String) -> Void

    private let lock = NSLock()
    private var loops: [HTTPEventLoop] = []
    private var runningLoops = 0
    private var port: Int?
    private var finished = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a server; nothing is bound until ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: address, limits and timeouts.
    ///   - handler: answers each request.
    ///   - logger: receives one line per notable server event (start, stop, framing errors,
    ///     timeouts); never one per request, which is the router's job.
    init(
        configuration: Configuration = Configuration(),
        handler: @escaping HTTPHandler,
        logger: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    /// Creates a server whose handler may throw; a thrown error becomes a `500`.
    convenience init(
        configuration: Configuration = Configuration(),
        throwingHandler: @escaping HTTPThrowingHandler,
        logger: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(configuration: configuration, handler: { request in
            do {
                return try await throwingHandler(request)
            } catch {
                logger("handler error for \(request.method) \(request.path) [\(request.requestID)]: \(error)")
                return .text(500, "internal server error\n")
            }
        }, logger: logger)
    }

    deinit {
        for loop in loops { loop.forceShutdown() }
    }

    // MARK: - API

    /// Binds, listens and starts the event-loop thread.
    ///
    /// - Returns: the port actually bound (useful with port `0`).
    /// - Throws: ``SocketError`` if the address cannot be bound; calling twice is a no-op returning the port.
    @discardableResult
    func start() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let port { return port }
        if finished { throw SocketError(call: "start", errno: 0, detail: "server already stopped") }
        signal(SIGPIPE, SIG_IGN)
        let fd = try Socket.makeListener(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let bound = Socket.localPort(fd) ?? configuration.port
        let count = max(1, configuration.eventLoops)
        let group = HTTPLoopGroup(loops: count, maxConnections: configuration.maxConnections,
                                  maxConnectionsPerPeer: configuration.maxConnectionsPerPeer, listener: fd)
        let loops = (0..<count).map { index in
            HTTPEventLoop(listener: fd, configuration: configuration, group: group, index: index, handler: handler,
                          logger: logger) { [weak self] in
                self?.loopFinished()
            }
        }
        group.attach(loops)
        // Loops start only once all have their wake-up pipes, so a failure leaves nothing running.
        guard loops.allSatisfy(\.isReady) else {
            close(fd)
            throw SocketError(call: "pipe", errno: errno)
        }
        for loop in loops { loop.start() }
        self.loops = loops
        self.runningLoops = count
        self.port = bound
        logger("HTTP server listening on \(configuration.host):\(bound)")
        return bound
    }

    /// Serves until ``stop()`` completes; starts the server first if needed.
    ///
    /// If binding fails, the error is logged and `run()` returns.
    func run() async {
        do {
            try start()
        } catch {
            logger("HTTP server failed to start: \(error)")
            return
        }
        await waitUntilFinished()
    }

    /// Stops gracefully: closes the listener (new connections are refused), closes idle
    /// keep-alive connections, lets in-flight requests finish (their responses carry
    /// `Connection: close`), and after ``Configuration/drainTimeout`` closes whatever is left.
    /// Returns when everything is closed.
    func stop() async {
        let loops: [HTTPEventLoop] = lock.withLock {
            if self.loops.isEmpty { finished = true }
            return self.loops
        }
        guard !loops.isEmpty else { return }
        for loop in loops { loop.beginDrain() }
        await waitUntilFinished()
    }

    /// The bound port while the server is listening (or draining), else `nil`.
    var listeningPort: Int? {
        lock.lock()
        defer { lock.unlock() }
        return finished ? nil : port
    }

    /// Whether the server has finished (stopped and drained).
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// A snapshot of the server's counters.
    var statistics: Statistics {
        lock.lock()
        let loops = self.loops
        lock.unlock()
        var total = Statistics()
        for loop in loops {
            let s = loop.statistics
            total.openConnections += s.openConnections
            total.acceptedConnections += s.acceptedConnections
            total.evictedConnections += s.evictedConnections
            total.rejectedConnections += s.rejectedConnections
            total.peerLimitedConnections += s.peerLimitedConnections
            total.requests += s.requests
            total.inFlight += s.inFlight
        }
        return total
    }

    // MARK: - Completion

    private func waitUntilFinished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if finished {
                lock.unlock()
                c.resume()
            } else {
                waiters.append(c)
                lock.unlock()
            }
        }
    }

    private func loopFinished() {
        lock.lock()
        runningLoops -= 1
        guard runningLoops == 0 else {
            lock.unlock()
            return
        }
        finished = true
        let waiting = waiters
        waiters.removeAll()
        lock.unlock()
        logger("HTTP server stopped")
        for w in waiting { w.resume() }
    }
}
