public import DiscoCore
public import Foundation

/// DiscoCore's ``DiscoCore/CloudProvider`` over Keystone v3 (and the services in its catalog).
///
/// For a real cloud, from an openrc environment:
/// ```swift
/// let options = OpenStackAuthOptions.fromEnvironment()!          // OS_AUTH_URL, OS_USERNAME, …
/// let provider = OpenStackCloudProvider(options: options, transport: URLSessionTransport())
/// let cloud = provider.cloud(auth: options.method)              // a session with the openrc credentials
/// ```
/// For the embedded simulated cloud (DISCO's default):
/// ```swift
/// let provider = OpenStackCloudProvider.simulated()             // or .simulated(SimulatedCloud(…))
/// ```
public final class OpenStackCloudProvider: CloudProvider, @unchecked Sendable {
    public let keystone: KeystoneClient
    public let transport: any HTTPTransport
    public let configuration: OpenStackClientConfiguration
    public let displayName: String
    public var identityURI: String { keystone.authURL.absoluteString }

    private let lock = NSLock()
    private var verified: [String: (principal: Principal, until: Date)] = [:]
    private var credentialSessions: [String: OpenStackSession] = [:]

    /// - Parameters:
    ///   - authURL: the Keystone URL (`…/v3`, or unversioned).
    ///   - transport: ``URLSessionTransport`` for a real cloud, a ``SimulatedCloud``, or a fixture transport.
    ///   - configuration: region, interface, retries, timeouts, clock.
    ///   - displayName: for logs; default `openstack <authURL>`.
    public init(authURL: URL, transport: any HTTPTransport, configuration: OpenStackClientConfiguration = .init(),
                displayName: String? = nil) {
        keystone = KeystoneClient(authURL: authURL, transport: transport, configuration: configuration)
        self.transport = transport
        self.configuration = configuration
        self.displayName = displayName ?? "openstack \(authURL.absoluteString)"
    }

    /// From openrc options (region and interface taken from them).
    public convenience init(options: OpenStackAuthOptions, transport: any HTTPTransport,
                            configuration: OpenStackClientConfiguration = .init()) {
        var configuration = configuration
        configuration.region = options.region ?? configuration.region
        configuration.interface = options.interface
        self.init(authURL: options.authURL, transport: transport, configuration: configuration)
    }

    /// A provider over `simulator` (a new default ``SimulatedCloud`` when omitted).
    public static func simulated(_ simulator: SimulatedCloud = SimulatedCloud(),
                                 retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.5))
        -> OpenStackCloudProvider {
        let configuration = OpenStackClientConfiguration(region: SimulatedCloud.region, retry: retry,
                                                         clock: simulator.clock)
        return OpenStackCloudProvider(authURL: simulator.authURL, transport: simulator, configuration: configuration,
                                      displayName: "simulated")
    }

    // MARK: - CloudProvider

    public func verify(token: String) async throws -> Principal {
        let now = configuration.clock.now()
        let key = Self.cacheKey(token)
        if let cached = lock.withLock({ verified[key] }), cached.until > now, cached.principal.expiresAt > now {
            return cached.principal
        }
        let checked: AuthToken
        do {
            checked = try await keystone.validate(token: token)
        } catch let error as CloudError where error.kind == .notFound {
            throw CloudError(.unauthorized, service: error.service, status: error.status, message: error.message)
        }
        lock.withLock {
            if verified.count > 10_000 { verified.removeAll() }
            verified[key] = (checked.principal, now.addingTimeInterval(configuration.tokenValidationCacheSeconds))
        }
        return checked.principal
    }

    public func issueToken(_ credentials: UserCredentials) async throws -> IssuedToken {
        let method: AuthMethod
        switch credentials {
        case let .password(user, password, project, domain):
            method = .password(user: .name(user, domain: domain), password: password, project: .name(project, domain: domain))
        case let .applicationCredential(id, secret):
            method = .applicationCredential(id: id, secret: secret)
        }
        let token = try await keystone.authenticate(method)
        return IssuedToken(token: token.value, principal: token.principal)
    }

    public func delegate(token: String, principal: Principal, name: String) async throws -> DelegatedCredential {
        let expiry = configuration.applicationCredentialLifetime.map { configuration.clock.now().addingTimeInterval($0) }
        return try await keystone.createApplicationCredential(token: token, userID: principal.userID,
                                                              projectID: principal.projectID, name: name, expiresAt: expiry)
    }

    /// Authenticates with the credential itself and deletes it; an unknown credential (401/404) counts as revoked.
    public func revoke(_ credential: DelegatedCredential) async throws {
        let token: AuthToken
        do {
            token = try await keystone.authenticate(.applicationCredential(id: credential.id, secret: credential.secret))
        } catch let error as CloudError where error.kind == .unauthorized || error.kind == .notFound {
            return
        }
        try await keystone.deleteApplicationCredential(token: token.value, userID: credential.userID, id: credential.id)
        _ = lock.withLock { credentialSessions.removeValue(forKey: credential.id) }
    }

    public func cloud(token: String, principal: Principal) -> any Cloud {
        cloud(auth: .token(token, project: .id(principal.projectID)))
    }

    public func cloud(credential: DelegatedCredential) -> any Cloud {
        let session = lock.withLock {
            if let existing = credentialSessions[credential.id] { return existing }
            let created = makeSession(.applicationCredential(id: credential.id, secret: credential.secret))
            credentialSessions[credential.id] = created
            return created
        }
        return OpenStackCloud(session: session)
    }

    // MARK: - Extras

    /// A session with any Keystone auth method, e.g. the openrc's.
    public func cloud(auth method: AuthMethod) -> OpenStackCloud { OpenStackCloud(session: makeSession(method)) }

    /// A new authenticated session (one token cache).
    public func makeSession(_ method: AuthMethod) -> OpenStackSession {
        let tokens = TokenManager(keystone: keystone, method: method, clock: configuration.clock,
                                  refreshMargin: configuration.tokenRefreshMargin)
        return OpenStackSession(tokens: tokens, transport: transport, configuration: configuration)
    }

    static func cacheKey(_ token: String) -> String { token }
}
