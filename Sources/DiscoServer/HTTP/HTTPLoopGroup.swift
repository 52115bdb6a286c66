import Foundation
import Glibc

/// What the event loops of one server share: the connection budget (``HTTPServer/Configuration/maxConnections``
/// over all loops), each loop's count, so that new connections go to the least-loaded loop, and the connections of
/// each client address (``HTTPServer/Configuration/maxConnectionsPerPeer``).
final class HTTPLoopGroup: @unchecked Sendable {
    let maxConnections: Int
    let maxConnectionsPerPeer: Int
    private let lock = NSLock()
    private var counts: [Int]
    private var peers: [String: Int] = [:]
    private var listener: Int32
    private var running: Int

    /// - Parameter listener: closed when the last loop has finished.
    init(loops: Int, maxConnections: Int, maxConnectionsPerPeer: Int, listener: Int32) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerPeer = maxConnectionsPerPeer
        self.listener = listener
        counts = [Int](repeating: 0, count: loops)
        running = loops
    }

    /// A loop has finished; the last one closes the listener.
    func loopFinished() {
        let fd: Int32 = lock.withLock {
            running -= 1
            guard running == 0 else { return -1 }
            defer { listener = -1 }
            return listener
        }
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Takes a connection slot for `loop`, if the server is below its limit.
    func reserve(_ loop: Int) -> Bool {
        lock.withLock {
            guard counts.reduce(0, +) < maxConnections else { return false }
            counts[loop] += 1
            return true
        }
    }

    /// Counts a connection of `peer`, if it has fewer than ``maxConnectionsPerPeer``.
    func reservePeer(_ peer: String) -> Bool {
        lock.withLock {
            let count = peers[peer, default: 0]
            guard count < maxConnectionsPerPeer else { return false }
            peers[peer] = count + 1
            return true
        }
    }

    /// Gives back what ``reservePeer(_:)`` took, for a connection refused a slot.
    func releasePeer(_ peer: String) {
        lock.withLock { Self.decrement(&peers, peer) }
    }

    /// Gives back the slot and the peer count of a closed connection.
    func release(_ loop: Int, peer: String) {
        lock.withLock {
            counts[loop] -= 1
            Self.decrement(&peers, peer)
        }
    }

    private static func decrement(_ peers: inout [String: Int], _ peer: String) {
        let count = peers[peer, default: 0] - 1
        peers[peer] = count > 0 ? count : nil
    }

    /// Whether `loop` has no more connections than any other (only such loops accept).
    func isLeastLoaded(_ loop: Int) -> Bool {
        lock.withLock { counts.count == 1 || counts[loop] <= counts.min()! }
    }

    private final class Member {
        weak var loop: HTTPEventLoop?
        init(_ loop: HTTPEventLoop) { self.loop = loop }
    }
    private var members: [Member] = []

    /// The loops, in index order (held weakly).
    func attach(_ loops: [HTTPEventLoop]) {
        lock.withLock { members = loops.map(Member.init) }
    }

    /// Wakes every loop but `loop`, so that one now least loaded starts polling the listener.
    func wakeOthers(except loop: Int) {
        let others = lock.withLock { members.enumerated().filter { $0.offset != loop }.compactMap(\.element.loop) }
        for other in others { other.wake() }
    }
}
