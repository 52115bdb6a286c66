public import Foundation

/// The time source under every timeout, TTL and poll interval, so tests advance time instead of sleeping.
public protocol DiscoClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends for `seconds`; throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}
