import Foundation
import Glibc

/// IMF-fixdate for the `Date` header, cached per second.
enum HTTPDate {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var second: Int = -1
        var line: [UInt8] = []
    }
    private static let cache = Cache()

    /// `"Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"` for the current second.
    static func headerLine() -> [UInt8] {
        let now = time(nil)
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if cache.second != now {
            cache.second = now
            cache.line = Array("Date: \(format(now))\r\n".utf8)
        }
        return cache.line
    }

    static func format(_ t: time_t) -> String {
        var tv = t
        var tmv = tm()
        gmtime_r(&tv, &tmv)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(tmv.tm_wday)]), \(two(tmv.tm_mday)) \(months[Int(tmv.tm_mon)]) \(tmv.tm_year + 1900) \(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec)) GMT"
    }
}
