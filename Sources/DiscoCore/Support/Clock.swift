public import Foundation

/// The time source under every timeout, TTL and poll interval, so tests advance time instead of sleeping.
public protocol DiscoClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends for `seconds`; throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemClock: DiscoClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}

extension DiscoClock where Self == SystemClock {
    /// The real clock.
    public static var system: SystemClock { SystemClock() }
}

/// A clock that only moves when told to; sleepers wake when `advance(by:)` passes their deadline.
public final class ManualClock: DiscoClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(deadline: Date, continuation: CheckedContinuation<Void, Never>)] = []

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = start
    }

    public func now() -> Date { lock.withLock { current } }

    public func sleep(seconds: Double) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if seconds <= 0 { return true }
                sleepers.append((current.addingTimeInterval(seconds), continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    public func advance(by seconds: Double) {
        let due: [CheckedContinuation<Void, Never>] = lock.withLock {
            current = current.addingTimeInterval(seconds)
            let now = current
            let ready = sleepers.filter { $0.deadline <= now }
            sleepers.removeAll { $0.deadline <= now }
            return ready.map(\.continuation)
        }
        due.forEach { $0.resume() }
    }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }
}
