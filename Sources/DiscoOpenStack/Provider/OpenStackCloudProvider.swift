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
    /// The newest token seen for each user and project (verified, issued or used to delegate), in memory only.
    private var userTokens: [String: (token: String, expiresAt: Date)] = [:]
    private var userSessions: [String: UserSession] = [:]

    /// A user's token as Keystone issued or checked it, until its session is made on first use; then that session.
    private enum UserSession {
        case checked(AuthToken)
        case made(OpenStackSession)
    }

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
                                 retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.5),
                                 unrestrictedCredentials: Bool = false)
        -> OpenStackCloudProvider {
        let configuration = OpenStackClientConfiguration(region: SimulatedCloud.region, retry: retry,
                                                         clock: simulator.clock,
                                                         unrestrictedApplicationCredentials: unrestrictedCredentials)
        return OpenStackCloudProvider(authURL: simulator.authURL, transport: simulator, configuration: configuration,
                                      displayName: "simulated")
    }

    // MARK: - CloudProvider

    /// The port of the status service on every node.
    public static let statusPort = 8084
    /// Seconds a read of a health document may take.
    public static let healthReadTimeout = 10.0

    public func clusterHealthDocument(at address: String) async throws -> Data {
        let host = address.contains(":") ? "[\(address)]" : address
        guard let url = URL(string: "http://\(host):\(Self.statusPort)/health.json") else {
            throw CloudError(.badRequest, service: "cluster", message: "'\(address)' is not an address")
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")],
                                                            timeout: Self.healthReadTimeout,
                                                            maxResponseBytes: HealthDocument.maxBytes))
        } catch let error as TransportError {
            throw CloudError(.unreachable, service: "cluster", message: error.isTimeout
                                 ? "\(url.absoluteString) did not answer in full within \(Int(Self.healthReadTimeout)) s"
                                 : error.message)
        }
        guard response.status == 200 else {
            throw CloudError(.unavailable, service: "cluster", status: response.status,
                             message: "\(url.absoluteString) answered HTTP \(response.status)")
        }
        return response.body
    }

    public func verify(token: String, revalidate: Bool) async throws -> Principal {
        let now = configuration.clock.now()
        let key = Self.cacheKey(token)
        if !revalidate, let cached = recentlyVerified(token: token) {
            remember(token: token, principal: cached)
            return cached
        }
        let checked: AuthToken
        do {
            checked = try await keystone.validate(token: token)
        } catch let error as CloudError where error.kind == .notFound || error.kind == .unauthorized {
            // Refused now: a success cached before (a revoked token) is no longer served.
            lock.withLock { verified[key] = nil }
            throw CloudError(.unauthorized, service: error.service, status: error.status, message: error.message)
        }
        lock.withLock {
            if verified.count > 10_000 { verified.removeAll() }
            verified[key] = (checked.principal, now.addingTimeInterval(configuration.tokenValidationCacheSeconds))
        }
        remember(token: token, principal: checked.principal)
        keepSession(over: checked)
        return checked.principal
    }

    public func recentlyVerified(token: String) -> Principal? {
        let now = configuration.clock.now()
        guard let cached = lock.withLock({ verified[Self.cacheKey(token)] }), cached.until > now,
              cached.principal.expiresAt > now else { return nil }
        return cached.principal
    }

    public var reachability: ServiceReachability { configuration.reachability }

    public func probeIdentity() async -> String? {
        let url = keystone.authURL
        let request = HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")],
                                  timeout: min(10, configuration.requestTimeout))
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            return "is unreachable at \(url.absoluteString) (\(error))"
        }
        guard response.status == 200 || response.status == 300 else {
            return "answered HTTP \(response.status) at \(url.absoluteString)"
        }
        guard let json = try? JSONValue.parse(response.body), json["version"] != nil || json["versions"] != nil else {
            return "answered at \(url.absoluteString), but not as Keystone does (no version document)"
        }
        return nil
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
        if case .password = credentials {
            remember(token: token.value, principal: token.principal)
            keepSession(over: token)
        }
        return IssuedToken(token: token.value, principal: token.principal)
    }

    /// Makes the credential named `name`. One of that name already there is replaced: DISCO names credentials after
    /// new cluster ids, so it is left from an attempt whose answer was lost, and its secret with it. After a timeout
    /// a credential Keystone may have stored is removed before the error is thrown, so none is left behind.
    public func delegate(token: String, principal: Principal, name: String) async throws -> DelegatedCredential {
        remember(token: token, principal: principal)
        let expiry = configuration.applicationCredentialLifetime.map { configuration.clock.now().addingTimeInterval($0) }
        func create() async throws -> DelegatedCredential {
            try await keystone.createApplicationCredential(
                token: token, userID: principal.userID, projectID: principal.projectID, name: name, expiresAt: expiry,
                unrestricted: configuration.unrestrictedApplicationCredentials)
        }
        func removeExisting() async throws {
            if let id = try await keystone.applicationCredentials(token: token, userID: principal.userID, name: name).first?.id {
                try await keystone.deleteApplicationCredential(token: token, userID: principal.userID, id: id)
            }
        }
        do {
            return try await create()
        } catch let error as CloudError where error.kind == .conflict {
            try await removeExisting()
            return try await create()
        } catch let error as CloudError where error.kind == .unreachable {
            try? await removeExisting()
            throw error
        }
    }

    /// Deletes the credential: with its owner's token while one is known, else authenticated as the credential
    /// itself (Keystone allows that only for unrestricted credentials). An unknown credential (401/404) counts as revoked.
    public func revoke(_ credential: DelegatedCredential) async throws {
        var revoked = false
        // Its session goes with it, however it went (an unknown credential counts as revoked).
        defer { if revoked { _ = lock.withLock { credentialSessions.removeValue(forKey: credential.id) } } }
        if let owner = userToken(userID: credential.userID, projectID: credential.projectID) {
            do {
                try await keystone.deleteApplicationCredential(token: owner, userID: credential.userID, id: credential.id)
                revoked = true
                return
            } catch let error as CloudError where error.kind == .unauthorized {
                // The owner's token was revoked meanwhile: try the credential itself.
                forgetOwner(userID: credential.userID, projectID: credential.projectID)
            }
        }
        let token: AuthToken
        do {
            token = try await keystone.authenticate(.applicationCredential(id: credential.id, secret: credential.secret))
        } catch let error as CloudError where error.kind == .unauthorized || error.kind == .notFound {
            revoked = true
            return
        }
        try await keystone.deleteApplicationCredential(token: token.value, userID: credential.userID, id: credential.id)
        revoked = true
    }

    public func delegatedCredentials(token: String, principal: Principal) async throws -> [ListedCredential] {
        try await keystone.applicationCredentials(token: token, userID: principal.userID)
    }

    public func revokeDelegatedCredential(id: String, token: String, principal: Principal) async throws {
        try await keystone.deleteApplicationCredential(token: token, userID: principal.userID, id: id)
    }

    /// A session with the user's token, shared by every call with that token (one Keystone authentication per token).
    public func cloud(token: String, principal: Principal) -> any Cloud {
        OpenStackCloud(session: userSession(token: token, projectID: principal.projectID))
    }

    /// A session with the delegated credential, for updates and actions, and for what outlives the user's token. Stack
    /// creates, deletes and reads go with the owner's own token while one is known (see
    /// ``ownerSession(userID:projectID:)``).
    public func cloud(credential: DelegatedCredential) -> any Cloud {
        let session = lock.withLock {
            if let existing = credentialSessions[credential.id] { return existing }
            let created = makeSession(.applicationCredential(id: credential.id, secret: credential.secret))
            credentialSessions[credential.id] = created
            return created
        }
        return OpenStackCloud(session: session, owner: { [weak self] in
            self?.ownerSession(userID: credential.userID, projectID: credential.projectID)
        }, ownerRejected: { [weak self] in
            self?.forgetOwner(userID: credential.userID, projectID: credential.projectID)
        })
    }

    /// A session with the newest token its user presented to DISCO for that project, while it is valid for another
    /// `ownerTokenMargin` seconds; `nil` otherwise.
    ///
    /// Keystone refuses delegated tokens (application credentials, OAuth, EC2) the management of trusts
    /// ("Delegated tokens cannot manage trusts", LP#2150089), and Heat makes a trust on every stack create (refused:
    /// HTTP 500) and deletes it with the stack (refused: the trust is left behind). So those two calls go with the
    /// user's own token when DISCO has one; later ones (a TTL expiry) fall back to the credential.
    public func ownerSession(userID: String, projectID: String) -> OpenStackSession? {
        guard let token = userToken(userID: userID, projectID: projectID) else { return nil }
        return userSession(token: token, projectID: projectID)
    }

    /// Keeps `token` as Keystone issued or checked it, so that the session made for it on its first use sends the
    /// token itself. A token rescoped from it (what a session with only the token's value makes first) would be new to
    /// every service, and each checks a new token with Keystone.
    private func keepSession(over token: AuthToken) {
        guard !token.principal.projectID.isEmpty else { return }
        lock.withLock {
            guard userSessions[token.value] == nil else { return }
            if userSessions.count > 1_000 { userSessions.removeAll() }
            userSessions[token.value] = .checked(token)
        }
    }

    /// The session for the user's own calls with `token` and those made for them (a stack's create and reads), made
    /// on first use and then shared.
    private func userSession(token: String, projectID: String) -> OpenStackSession {
        lock.withLock {
            var current: AuthToken?
            switch userSessions[token] {
            case .made(let session)?: return session
            case .checked(let checked)? where checked.principal.projectID == projectID: current = checked
            case .checked?, nil: if userSessions.count > 1_000 { userSessions.removeAll() }
            }
            let session = makeSession(.token(token, project: .id(projectID)), current: current)
            userSessions[token] = .made(session)
            return session
        }
    }

    static let ownerTokenMargin: Double = 120

    private func remember(token: String, principal: Principal) {
        guard !principal.userID.isEmpty, !principal.projectID.isEmpty else { return }
        let key = principal.userID + "/" + principal.projectID
        lock.withLock {
            if let known = userTokens[key], known.expiresAt >= principal.expiresAt { return }
            if let replaced = userTokens[key] { userSessions[replaced.token] = nil }
            userTokens[key] = (token, principal.expiresAt)
        }
    }

    /// The cloud refused the owner's token: it is no longer used for the owner's work, and its validation is no longer
    /// cached, so the next request that carries it is checked with Keystone again (and answered 401), not accepted and
    /// remembered as the owner's once more.
    private func forgetOwner(userID: String, projectID: String) {
        lock.withLock {
            guard let known = userTokens.removeValue(forKey: userID + "/" + projectID) else { return }
            userSessions[known.token] = nil
            verified[Self.cacheKey(known.token)] = nil
        }
    }

    private func userToken(userID: String, projectID: String) -> String? {
        let now = configuration.clock.now()
        return lock.withLock {
            guard let known = userTokens[userID + "/" + projectID] else { return nil }
            return known.expiresAt.timeIntervalSince(now) > Self.ownerTokenMargin ? known.token : nil
        }
    }

    // MARK: - Extras

    /// A session with any Keystone auth method, e.g. the openrc's.
    public func cloud(auth method: AuthMethod) -> OpenStackCloud { OpenStackCloud(session: makeSession(method)) }

    /// A new authenticated session (one token cache); `current`: a token for `method` already at hand.
    public func makeSession(_ method: AuthMethod, current: AuthToken? = nil) -> OpenStackSession {
        let tokens = TokenManager(keystone: keystone, method: method, clock: configuration.clock,
                                  refreshMargin: configuration.tokenRefreshMargin, current: current)
        return OpenStackSession(tokens: tokens, transport: transport, configuration: configuration)
    }

    static func cacheKey(_ token: String) -> String { token }
}
