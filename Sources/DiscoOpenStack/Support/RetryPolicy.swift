import DiscoCore
import Foundation

/// How failed calls are retried: exponential backoff with full jitter, honouring `Retry-After`.
///
/// Only idempotent calls (GET, PUT, DELETE, and a stack create thanks to its deterministic name) are
/// retried, on 408, 429, 5xx and connection errors. Quota errors are never retried.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, including the first (1 = no retries).
    public var maxAttempts: Int
    /// The backoff base in seconds: attempt *n* waits a random time in `0…min(maxDelay, baseDelay·2ⁿ)`.
    public var baseDelay: Double
    /// The cap of one wait, in seconds.
    public var maxDelay: Double
    /// The longest `Retry-After` honoured; longer asks fail at once.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 20, maxRetryAfter: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Whether a status is worth another try.
    public static func isRetryable(status: Int) -> Bool { status == 408 || status == 429 || (500...599).contains(status) }

    /// The wait before retry number `retry` (1-based), using `Retry-After` when given.
    public func delay(beforeRetry retry: Int, retryAfter: String?) -> Double {
        if let retryAfter, let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)) {
            return min(max(0, seconds), maxRetryAfter)
        }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0
    }
}
