import DiscoCore
import Foundation
import Synchronization

/// Tokens Keystone refused moments ago, refused again without asking: a flood of one bad token costs one check.
///
/// Kept by a per-process keyed hash of the token (no token is stored): a collision can only refuse a token for
/// ``seconds``, never accept one. At most ``maxTokens`` are kept; when full, the expired ones go, then all.
final class TokenRefusals: Sendable {
    /// How long a refusal is repeated.
    let seconds: Double
    private let clock: any DiscoClock
    private let refused = Mutex<[Int: Date]>([:])

    static let maxTokens = 10_000

    init(seconds: Double, clock: any DiscoClock) {
        self.seconds = seconds
        self.clock = clock
    }

    /// Whether `token` was refused less than ``seconds`` ago.
    func contains(_ token: String) -> Bool {
        let now = clock.now()
        return refused.withLock { ($0[token.hashValue] ?? .distantPast) > now }
    }

    func insert(_ token: String) {
        let now = clock.now()
        refused.withLock { refused in
            if refused.count >= Self.maxTokens { refused = refused.filter { $0.value > now } }
            if refused.count >= Self.maxTokens { refused.removeAll() }
            refused[token.hashValue] = now.addingTimeInterval(seconds)
        }
    }
}
