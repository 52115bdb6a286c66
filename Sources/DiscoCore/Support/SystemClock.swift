public import Foundation

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
