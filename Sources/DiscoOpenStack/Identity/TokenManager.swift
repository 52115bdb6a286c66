public import DiscoCore
public import Foundation

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

    public init(keystone: KeystoneClient, method: AuthMethod, clock: any DiscoClock, refreshMargin: Double = 300) {
        self.keystone = keystone
        self.method = method
        self.clock = clock
        self.margin = method.canRenew ? refreshMargin : 0
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

/// An authenticated session: finds service endpoints in the catalog, adds the token, retries once on 401.
public struct OpenStackSession: Sendable {
    public let tokens: TokenManager
    let executor: Executor

    public init(tokens: TokenManager, transport: any HTTPTransport, configuration: OpenStackClientConfiguration) {
        self.tokens = tokens
        executor = Executor(transport: transport, configuration: configuration)
    }

    public var configuration: OpenStackClientConfiguration { executor.configuration }

    /// The principal of the session's current token.
    public func principal() async throws -> Principal { try await tokens.token().principal }

    /// The catalog endpoint of `serviceType`.
    public func endpoint(_ serviceType: String, service: String) async throws -> URL {
        let token = try await tokens.token()
        guard let url = token.catalog.endpoint(type: serviceType, region: configuration.region,
                                               interface: configuration.interface) else {
            throw CloudError(.notFound, service: service,
                             message: "no \(serviceType) endpoint in the catalog (region \(configuration.region ?? "any"), interface \(configuration.interface))")
        }
        return url
    }

    /// Calls `path` (relative to the endpoint of `serviceType`, may carry a query).
    ///
    /// Returns any response whose status is in `accept`; any other status throws ``DiscoCore/CloudError``.
    func call(_ method: String, serviceType: String, service: String, path: String, body: JSONValue? = nil,
              idempotent: Bool? = nil, accept: Set<Int> = [200, 201, 202, 204], timeout: Double? = nil,
              retryTransportErrors: Bool = true) async throws -> HTTPResponse {
        let isIdempotent = idempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method)
        var renewed = false
        while true {
            let token = try await tokens.token()
            guard let base = token.catalog.endpoint(type: serviceType, region: configuration.region,
                                                    interface: configuration.interface) else {
                throw CloudError(.notFound, service: service,
                                 message: "no \(serviceType) endpoint in the catalog (region \(configuration.region ?? "any"), interface \(configuration.interface))")
            }
            let request = HTTPRequest.json(method, base.appending(rawPath: path), body: body, token: token.value,
                                           timeout: timeout ?? configuration.requestTimeout)
            let response = try await executor.send(request, service: service, idempotent: isIdempotent,
                                                   retryTransportErrors: retryTransportErrors)
            if response.status == 401 && !renewed && tokens.method.canRenew {
                renewed = true
                await tokens.invalidate(token.value)
                continue
            }
            if accept.contains(response.status) { return response }
            throw OpenStackErrors.cloudError(service: service, response: response)
        }
    }

    /// Calls and parses a JSON answer.
    func callJSON(_ method: String, serviceType: String, service: String, path: String, body: JSONValue? = nil,
                  idempotent: Bool? = nil) async throws -> JSONValue {
        let response = try await call(method, serviceType: serviceType, service: service, path: path, body: body,
                                      idempotent: idempotent)
        do { return try JSONValue.parse(response.body) } catch {
            throw CloudError(.invalidResponse, service: service, status: response.status,
                             message: "not JSON: \(response.text.prefix(120))")
        }
    }
}
