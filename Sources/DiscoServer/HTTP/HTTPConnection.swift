import Foundation

/// One client connection. Confined to the event-loop thread; handler tasks only carry it
/// back as an opaque token together with the request sequence number.
final class HTTPConnection: @unchecked Sendable {
    enum State {
        /// Waiting for (the rest of) a request; idle if nothing of one has arrived.
        case reading
        /// A handler task owns the current request; the socket is not polled.
        case handling
        /// Output pending; then `afterWrite`.
        case writing
        /// Final response sent and write side shut down; draining input until EOF or timeout.
        case lingering
        case closed
    }

    enum AfterWrite { case resumeReading, lingerClose }

    let fd: Int32
    let remoteAddress: String
    /// The client's address without its port (what ``HTTPServer/Configuration/maxConnectionsPerPeer`` counts).
    let peer: String
    var slot = -1
    var state: State = .reading
    var input = InputBuffer()
    var parser: HTTPRequestParser
    var output: [UInt8] = []
    var outputIndex = 0
    var afterWrite: AfterWrite = .resumeReading
    /// Monotonic nanoseconds at which the current state times out.
    var deadline: UInt64 = 0
    var requestStarted = false
    /// Whether the current request's head has been read (its deadline is then the whole-request one).
    var headReceived = false
    /// Monotonic nanoseconds when the current request's first byte was processed.
    var requestStartNS: UInt64 = 0
    var startTime: ContinuousClock.Instant = .now
    var receivedAt = Date()
    var sequence: UInt64 = 0
    var task: Task<Void, Never>?
    var peerClosed = false
    var lingerDiscarded = 0

    init(fd: Int32, remoteAddress: String, peer: String, limits: HTTPParserLimits) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.peer = peer
        self.parser = HTTPRequestParser(limits: limits)
    }
}
