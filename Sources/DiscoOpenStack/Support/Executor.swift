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

    public init(region: String? = nil, interface: String = "public", retry: RetryPolicy = RetryPolicy(),
                requestTimeout: Double = 30, clock: any DiscoClock = SystemClock(), tokenRefreshMargin: Double = 300,
                tokenValidationCacheSeconds: Double = 30, applicationCredentialLifetime: Double? = 90 * 86_400,
                unrestrictedApplicationCredentials: Bool = false) {
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

/// Sends one logical call with retries; knows nothing about tokens.
struct Executor: Sendable {
    let transport: any HTTPTransport
    let configuration: OpenStackClientConfiguration

    /// Sends `request`; retries retryable statuses and connection errors when `idempotent`.
    /// Returns every response that is not retried (callers classify errors).
    /// `retryTransportErrors: false` retries only answered statuses: after a timeout the server may still act on the request.
    func send(_ request: HTTPRequest, service: String, idempotent: Bool, retryTransportErrors: Bool = true) async throws -> HTTPResponse {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as FixtureMismatch {
                throw error
            } catch {
                let timeout = (error as? TransportError)?.isTimeout ?? false
                if idempotent && retryTransportErrors && attempt < policy.maxAttempts {
                    try await configuration.clock.sleep(seconds: policy.delay(beforeRetry: attempt, retryAfter: nil))
                    continue
                }
                throw CloudError(.unreachable, service: service,
                                 message: "\(request.method) \(request.url.path) \(timeout ? "timed out" : "failed"): \(error)")
            }
            if RetryPolicy.isRetryable(status: response.status), idempotent, attempt < policy.maxAttempts {
                let (reason, type) = OpenStackErrors.reason(of: response)
                if !OpenStackErrors.isQuota(reason: reason, type: type) {
                    let retryAfter = response.header("Retry-After")
                    let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter)
                    if let retryAfter, let asked = Double(retryAfter), asked > policy.maxRetryAfter {
                        return response
                    }
                    try await configuration.clock.sleep(seconds: wait)
                    continue
                }
            }
            return response
        }
    }
}

extension HTTPRequest {
    static func json(_ method: String, _ url: URL, body: JSONValue? = nil, token: String? = nil,
                     timeout: Double) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("X-Auth-Token", token)) }
        headers.append(("User-Agent", "disco/1 (DiscoOpenStack)"))
        return HTTPRequest(method: method, url: url, headers: headers, body: body?.data() ?? Data(), timeout: timeout)
    }
}

extension URL {
    /// Appends a path (which may hold a query) to this URL.
    func appending(rawPath: String) -> URL {
        var base = absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let suffix = rawPath.hasPrefix("/") ? rawPath : "/" + rawPath
        return URL(string: base + suffix) ?? self
    }
}

/// Percent-encodes a path segment or query value.
func escape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
