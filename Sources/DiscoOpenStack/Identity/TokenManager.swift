public import DiscoCore
import Foundation

/// Holds one authenticated token and renews it before it expires.
///
/// An actor storing the in-flight refresh `Task`, so concurrent callers share one Keystone round trip.
/// A token is renewed `tokenRefreshMargin` seconds before `expires_at`, and at once after
/// ``invalidate(_:)`` (a service answered 401).
public actor TokenManager {
    public let keystone: KeystoneClient
    public let method: AuthMethod
    private let clock: any DiscoClock
    private let margin: Double
    private var current: AuthToken?
    private var refreshing: Task<AuthToken, any Error>?
    /// How many times Keystone was asked for a token.
    public private(set) var authenticationCount = 0

    /// - Parameter current: a token already at hand for `method` (one Keystone issued or checked), used while it is
    ///   valid for the refresh margin.
    public init(keystone: KeystoneClient, method: AuthMethod, clock: any DiscoClock, refreshMargin: Double = 300,
                current: AuthToken? = nil) {
        self.keystone = keystone
        self.method = method
        self.clock = clock
        self.margin = method.canRenew ? refreshMargin : 0
        self.current = current
    }

    /// A token valid for at least the refresh margin, authenticating when needed.
    public func token() async throws -> AuthToken {
        if let current, current.expiresAt.timeIntervalSince(clock.now()) > margin { return current }
        return try await refresh()
    }

    /// Forgets `value` (e.g. after a 401) so the next ``token()`` authenticates again.
    public func invalidate(_ value: String) {
        if current?.value == value { current = nil }
    }

    private func refresh() async throws -> AuthToken {
        if let refreshing { return try await refreshing.value }
        let keystone = keystone
        let method = method
        let task = Task { try await keystone.authenticate(method) }
        refreshing = task
        authenticationCount += 1
        defer { refreshing = nil }
        let token = try await task.value
        current = token
        return token
    }
}
