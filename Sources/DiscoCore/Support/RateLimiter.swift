import Foundation
import Synchronization

/// A token bucket per key (a client address, a project): `burst` events at once, then one more every `interval`
/// seconds.
///
/// Bounds what one address can make the server ask of Keystone (failed sign-ins, refused tokens) and how fast one
/// project creates clusters. The table holds at most ``maxKeys`` keys; when full, keys whose bucket is full again
/// are dropped first.
package final class RateLimiter: Sendable {
    /// What is limited, for messages, e.g. `failed sign-ins`.
    package let name: String
    package let burst: Double
    /// Seconds until one more event is allowed.
    package let interval: Double
    private let clock: any DiscoClock
    private let buckets = Mutex<[String: Bucket]>([:])

    /// The most keys tracked at once.
    package static let maxKeys = 10_000

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    package init(name: String, burst: Int, interval: Double, clock: any DiscoClock) {
        precondition(burst > 0 && interval > 0)
        self.name = name
        self.burst = Double(burst)
        self.interval = interval
        self.clock = clock
    }

    /// Takes one event from `key`'s bucket: `nil` when allowed, otherwise the whole seconds until one is.
    package func take(_ key: String) -> Int? {
        let now = clock.now()
        return buckets.withLock { buckets in
            var bucket = refilled(buckets[key], now: now)
            if bucket.tokens < 1 { return wait(bucket) }
            bucket.tokens -= 1
            store(bucket, for: key, in: &buckets, now: now)
            return nil
        }
    }

    /// Counts an event that already happened (it is never refused): an empty bucket stays empty.
    package func charge(_ key: String) {
        let now = clock.now()
        buckets.withLock { buckets in
            var bucket = refilled(buckets[key], now: now)
            bucket.tokens = max(0, bucket.tokens - 1)
            store(bucket, for: key, in: &buckets, now: now)
        }
    }

    /// `nil` while `key` has an event left, otherwise the whole seconds until it has one (nothing is taken).
    package func exhausted(_ key: String) -> Int? {
        let now = clock.now()
        return buckets.withLock { buckets in
            let bucket = refilled(buckets[key], now: now)
            return bucket.tokens < 1 ? wait(bucket) : nil
        }
    }

    /// The limit in words: `30 allowed, then one a second`.
    package var rule: String {
        let rate = interval == 1 ? "one a second"
            : interval > 1 ? "one every \(Int(interval.rounded())) s" : "\(Int((1 / interval).rounded())) a second"
        return "\(Int(burst)) allowed, then \(rate)"
    }

    private func refilled(_ bucket: Bucket?, now: Date) -> Bucket {
        guard var bucket else { return Bucket(tokens: burst, updated: now) }
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(burst, bucket.tokens + elapsed / interval)
        bucket.updated = now
        return bucket
    }

    private func wait(_ bucket: Bucket) -> Int {
        max(1, Int(((1 - bucket.tokens) * interval).rounded(.up)))
    }

    private func store(_ bucket: Bucket, for key: String, in buckets: inout [String: Bucket], now: Date) {
        if buckets[key] == nil, buckets.count >= Self.maxKeys {
            // Full buckets carry no state worth keeping; if every one is in use, the table starts over.
            buckets = buckets.filter { refilled($0.value, now: now).tokens < burst }
            if buckets.count >= Self.maxKeys { buckets.removeAll() }
        }
        buckets[key] = bucket
    }
}
