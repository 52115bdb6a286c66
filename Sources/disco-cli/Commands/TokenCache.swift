import DiscoCore
import DiscoOpenStack
import Foundation

/// Tokens obtained by the CLI itself, by URL.
final class TokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [String: String] = [:]
    func get(_ url: String) -> String? { lock.withLock { tokens[url] } }
    func set(_ url: String, _ token: String?) { lock.withLock { tokens[url] = token } }
}
