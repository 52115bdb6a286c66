public import DiscoCore
import Foundation

/// Settings shared by all OpenStack clients.
public struct OpenStackClientConfiguration: Sendable {
    /// The region whose endpoints are used; `nil` takes the first endpoint of each service.
    public var region: String?
    /// The endpoint interface: `public`, `internal` or `admin`.
    public var interface: String
    /// Retries of idempotent calls.
    public var retry: RetryPolicy
    /// Seconds one HTTP exchange may take.
    public var requestTimeout: Double
    /// Time source for token expiry, caches and backoff sleeps.
    public var clock: any DiscoClock
    /// A token is renewed this many seconds before it expires.
    public var tokenRefreshMargin: Double
    /// How long a verified user token is trusted without asking Keystone again.
    public var tokenValidationCacheSeconds: Double
    /// Lifetime of application credentials made by `delegate`; `nil` = no expiry.
    public var applicationCredentialLifetime: Double?
    /// Whether `delegate` makes unrestricted application credentials. Such a credential can delete itself, and
    /// Keystone releases before LP#2150089 let it (no restricted one) manage the trust Heat makes for a stack, so that
    /// stacks are created and deleted with the credential alone (a TTL expiry, a create resumed after a restart).
    /// Later releases allow that to delegated tokens only with `[security_compliance]
    /// allow_insecure_application_credential_trust_escalation = true`. Off by default: it can also make credentials.
    public var unrestrictedApplicationCredentials: Bool
    /// Where every call's outcome is noted, by service.
    public var reachability: ServiceReachability

    public init(region: String? = nil, interface: String = "public", retry: RetryPolicy = RetryPolicy(),
                requestTimeout: Double = 30, clock: any DiscoClock = SystemClock(), tokenRefreshMargin: Double = 300,
                tokenValidationCacheSeconds: Double = 30, applicationCredentialLifetime: Double? = 90 * 86_400,
                unrestrictedApplicationCredentials: Bool = false, reachability: ServiceReachability = ServiceReachability()) {
        self.reachability = reachability
        self.region = region
        self.interface = interface
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.clock = clock
        self.tokenRefreshMargin = tokenRefreshMargin
        self.tokenValidationCacheSeconds = tokenValidationCacheSeconds
        self.applicationCredentialLifetime = applicationCredentialLifetime
        self.unrestrictedApplicationCredentials = unrestrictedApplicationCredentials
    }
}
