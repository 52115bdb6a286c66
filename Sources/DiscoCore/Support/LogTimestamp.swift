import Foundation

/// `Date().formatted(.iso8601)` (`2026-11-24T10:00:00Z`), computed once per second.
enum LogTimestamp {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var second = -1
        var text = ""
    }
    private static let cache = Cache()

    static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let second = Int(ts.tv_sec)
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if cache.second != second {
            cache.second = second
            cache.text = Date(timeIntervalSince1970: TimeInterval(second)).formatted(.iso8601)
        }
        return cache.text
    }
}
