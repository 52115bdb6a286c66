import DiscoCore
import Foundation
import Synchronization

/// A token bucket per client address: `burst` events at once, then one more every `interval` seconds.
///
/// Bounds what one address can make the server ask of Keystone (failed sign-ins, refused tokens). The
/// table holds at most ``maxPeers`` addresses; when full, addresses whose bucket is full again are dropped first.
final class PeerRateLimiter: Sendable {
    /// What a limit is called in a 429's message, e.g. `sign-ins`.
    let name: String
    let burst: Double
    /// Seconds until one more event is allowed.
    let interval: Double
    private let clock: any DiscoClock
    private let buckets = Mutex<[String: Bucket]>([:])

    /// The most addresses tracked at once.
    static let maxPeers = 10_000

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    init(name: String, burst: Int, interval: Double, clock: any DiscoClock) {
        precondition(burst > 0 && interval > 0)
        self.name = name
        self.burst = Double(burst)
        self.interval = interval
        self.clock = clock
    }

    /// Takes one event from `peer`'s bucket: `nil` when allowed, otherwise the whole seconds until one is.
    func take(_ peer: String) -> Int? {
        let now = clock.now()
        return buckets.withLock { buckets in
            var bucket = refilled(buckets[peer], now: now)
            if bucket.tokens < 1 { return wait(bucket) }
            bucket.tokens -= 1
            store(bucket, for: peer, in: &buckets, now: now)
            return nil
        }
    }

    /// Counts an event that already happened (it is never refused): an empty bucket stays empty.
    func charge(_ peer: String) {
        let now = clock.now()
        buckets.withLock { buckets in
            var bucket = refilled(buckets[peer], now: now)
            bucket.tokens = max(0, bucket.tokens - 1)
            store(bucket, for: peer, in: &buckets, now: now)
        }
    }

    /// `nil` while `peer` has an event left, otherwise the whole seconds until it has one (nothing is taken).
    func exhausted(_ peer: String) -> Int? {
        let now = clock.now()
        return buckets.withLock { buckets in
            let bucket = refilled(buckets[peer], now: now)
            return bucket.tokens < 1 ? wait(bucket) : nil
        }
    }

    /// A 429 for `peer`, waiting `seconds`: names the limit and when to retry.
    func refusal(_ peer: String, retryAfter seconds: Int) -> APIError {
        let rate = interval == 1 ? "one a second"
            : interval > 1 ? "one every \(Int(interval.rounded())) s" : "\(Int((1 / interval).rounded())) a second"
        return APIError(status: 429, message: "too many \(name) from \(peer.prefix(64)): \(Int(burst)) allowed, then \(rate); "
                        + "try again in \(seconds) s", headers: ["Retry-After": String(seconds)])
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

    private func store(_ bucket: Bucket, for peer: String, in buckets: inout [String: Bucket], now: Date) {
        if buckets[peer] == nil, buckets.count >= Self.maxPeers {
            // Full buckets carry no state worth keeping; if every one is in use, the table starts over.
            buckets = buckets.filter { refilled($0.value, now: now).tokens < burst }
            if buckets.count >= Self.maxPeers { buckets.removeAll() }
        }
        buckets[peer] = bucket
    }
}
