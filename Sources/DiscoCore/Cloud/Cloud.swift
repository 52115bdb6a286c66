public import Foundation

/// Who a token belongs to, as the identity service says.
public struct Principal: Sendable, Hashable, Codable {
    public var userID: String
    public var userName: String
    public var projectID: String
    public var projectName: String
    public var roles: [String]
    public var expiresAt: Date

    public init(userID: String, userName: String, projectID: String, projectName: String, roles: [String] = [],
                expiresAt: Date) {
        self.userID = userID
        self.userName = userName
        self.projectID = projectID
        self.projectName = projectName
        self.roles = roles
        self.expiresAt = expiresAt
    }
}

/// A credential DISCO holds for work on a cluster that outlives the user's request (following the stack,
/// scaling, TTL deletes): a Keystone application credential, never the user's password.
///
/// It is a secret: the registry stores it in a file of mode 0600 and never renders it.
public struct DelegatedCredential: Sendable, Hashable, Codable {
    public var id: String
    public var secret: String
    public var projectID: String
    public var userID: String

    public init(id: String, secret: String, projectID: String, userID: String) {
        self.id = id
        self.secret = secret
        self.projectID = projectID
        self.userID = userID
    }
}

/// How a user proves who they are when asking the cloud for a token.
public enum UserCredentials: Sendable, Hashable {
    /// Keystone password auth; `project` and `domain` by name.
    case password(user: String, password: String, project: String, domain: String)
    /// A Keystone application credential.
    case applicationCredential(id: String, secret: String)
}

/// A token issued by the identity service.
public struct IssuedToken: Sendable, Hashable {
    public var token: String
    public var principal: Principal
    public init(token: String, principal: Principal) {
        self.token = token
        self.principal = principal
    }
}

/// The orchestration, compute and network services of one project, as DISCO needs them.
///
/// Implemented over real OpenStack APIs and by the simulated cloud. Every method throws ``CloudError``.
public protocol Cloud: Sendable {
    /// Images, flavors, networks and quota headroom of the project.
    func inventory() async throws -> CloudInventory
    /// Creates a stack. Safe to repeat: when a stack of that name exists, its reference is returned.
    func createStack(_ request: StackRequest) async throws -> StackReference
    /// The stack, or `nil` when it does not exist (or its delete completed).
    func stack(_ reference: StackReference) async throws -> StackSnapshot?
    /// Events newer than `marker` (an event id), oldest first.
    func events(of reference: StackReference, after marker: String?) async throws -> [StackEvent]
    /// Updates parameters of a stack, keeping its template (`PATCH`); used for scaling.
    func updateStack(_ reference: StackReference, parameters: [String: String]) async throws
    /// Runs a stack action.
    func perform(_ action: StackAction, on reference: StackReference) async throws
    /// Starts deleting the stack. Deleting a stack that does not exist succeeds.
    func deleteStack(_ reference: StackReference) async throws
    /// Stacks carrying `tag`.
    func stacks(taggedWith tag: String) async throws -> [StackSnapshot]
}

/// The entry to a cloud: verifies tokens, issues and delegates credentials, and opens per-project sessions.
public protocol CloudProvider: Sendable {
    /// A short name for logs and the health page, e.g. `simulated` or `openstack https://keystone…`.
    var displayName: String { get }
    /// The identity endpoint shown in `WWW-Authenticate: Keystone uri='…'`.
    var identityURI: String { get }
    /// Asks the identity service for its version document: `nil` when it answers as Keystone does, otherwise what is
    /// wrong with it (an HTTP status, not a Keystone answer, unreachable), for operators.
    func probeIdentity() async -> String?
    /// Checks a user's token and says whom and which project it is for. Implementations cache successes briefly
    /// (never failures), since the server asks on every request; with `revalidate` the cache is not used (requests that
    /// change something or read a secret: a revoked token stops working at once), and a refusal drops what it held.
    func verify(token: String, revalidate: Bool) async throws -> Principal
    /// The principal of a token verified moments ago (a cached success), without asking the identity service.
    func recentlyVerified(token: String) -> Principal?
    /// Asks the identity service for a token.
    func issueToken(_ credentials: UserCredentials) async throws -> IssuedToken
    /// Makes a credential, on behalf of the token's user, that DISCO keeps for the cluster's lifetime; one of the
    /// same name (left from an attempt whose answer was lost) is replaced.
    func delegate(token: String, principal: Principal, name: String) async throws -> DelegatedCredential
    /// Removes a delegated credential; removing one that is already gone succeeds.
    func revoke(_ credential: DelegatedCredential) async throws
    /// A session acting in the user's project with the user's token (for request-time lookups).
    func cloud(token: String, principal: Principal) -> any Cloud
    /// A session acting with a delegated credential.
    func cloud(credential: DelegatedCredential) -> any Cloud
    /// The health document a cluster's master publishes on its status service (`http://<address>:8084/health.json`),
    /// read with a short timeout; throws ``CloudError`` (service `cluster`) when it does not answer with one.
    func clusterHealthDocument(at address: String) async throws -> Data
}

extension CloudProvider {
    /// ``verify(token:revalidate:)`` that may answer from the cache.
    public func verify(token: String) async throws -> Principal { try await verify(token: token, revalidate: false) }
}

/// An error from a cloud service, classified so callers can decide what to do.
public struct CloudError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Bad or expired credentials (401).
        case unauthorized
        /// Not allowed (403).
        case forbidden
        /// The object does not exist (404).
        case notFound
        /// Already exists or is in a conflicting state (409).
        case conflict
        /// Over quota (413 with a quota message, or a quota error body).
        case quotaExceeded
        /// The request was rejected (400).
        case badRequest
        /// The service failed or is busy (5xx, 429, 408) and retries were used up.
        case unavailable
        /// No answer in time, or the connection failed.
        case unreachable
        /// The answer could not be understood.
        case invalidResponse
        /// Keystone refused the credential the trust Heat makes (or removes) for a stack: delegated tokens
        /// (application credentials) may not manage trusts unless Keystone allows it for unrestricted ones.
        case trustRefused
    }

    public var kind: Kind
    /// The service, e.g. `identity`, `orchestration`, `compute`.
    public var service: String
    /// The HTTP status, when there was one.
    public var status: Int?
    /// The service's own reason, readable.
    public var message: String

    public init(_ kind: Kind, service: String, status: Int? = nil, message: String) {
        self.kind = kind
        self.service = service
        self.status = status
        self.message = message
    }

    public var description: String {
        if let status { return "\(service) returned HTTP \(status): \(message)" }
        return "\(service): \(message)"
    }
}
