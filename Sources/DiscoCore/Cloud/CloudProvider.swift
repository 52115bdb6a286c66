public import Foundation

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
    /// The delegated credentials of the token's user (in every project), without secrets.
    func delegatedCredentials(token: String, principal: Principal) async throws -> [ListedCredential]
    /// Removes one of the token's user's delegated credentials by id; removing one that is already gone succeeds.
    func revokeDelegatedCredential(id: String, token: String, principal: Principal) async throws
    /// A session acting in the user's project with the user's token (for request-time lookups).
    func cloud(token: String, principal: Principal) -> any Cloud
    /// A session acting with a delegated credential.
    func cloud(credential: DelegatedCredential) -> any Cloud
    /// The health document a cluster's master publishes on its status service (`http://<address>:8084/health.json`),
    /// read with a short timeout; throws ``CloudError`` (service `cluster`) when it does not answer with one.
    func clusterHealthDocument(at address: String) async throws -> Data
    /// How the cloud's services answered the calls made so far.
    var reachability: ServiceReachability { get }
}

extension CloudProvider {
    /// ``verify(token:revalidate:)`` that may answer from the cache.
    public func verify(token: String) async throws -> Principal { try await verify(token: token, revalidate: false) }
}
