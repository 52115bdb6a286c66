import Foundation
import Glibc

/// What the event loops of one server share: the connection budget (``HTTPServer/Configuration/maxConnections``
/// over all loops) and each loop's count, so that new connections go to the least-loaded loop.
final class HTTPLoopGroup: @unchecked Sendable {
    let maxConnections: Int
    private let lock = NSLock()
    private var counts: [Int]
    private var listener: Int32
    private var running: Int

    /// - Parameter listener: closed when the last loop has finished.
    init(loops: Int, maxConnections: Int, listener: Int32) {
        self.maxConnections = maxConnections
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

    func release(_ loop: Int) {
        lock.withLock { counts[loop] -= 1 }
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
