import DiscoCore
import Foundation

/// Who is calling: the verified principal and the token it came with.
struct Caller: Sendable {
    var principal: Principal
    var token: String
}

/// Verifies `X-Auth-Token` with the cloud's identity service. The provider caches successes briefly (so a busy client
/// does not cost a Keystone call per request), except for requests that change something or read a secret
/// (``revalidates(_:)``): a revoked token cannot delete, act, create or fetch a key from the cache. A refused token
/// is refused again for a few seconds without asking (``refused``), and refusals are counted per client address:
/// past ``refusals``' budget that address's tokens are answered 429 without asking Keystone, unless verified moments
/// ago.
struct Authenticator: Sendable {
    let provider: any CloudProvider
    /// Consulted when a check fails, so a wrong `design_uri` or a Keystone that is down is not blamed on the token.
    let identity: IdentityHealth
    /// Tokens Keystone refused moments ago.
    let refused: TokenRefusals
    /// Keystone's refusals per client address.
    let refusals: RateLimiter
    /// Told every caller that passed (it must return at once).
    let signedIn: @Sendable (Caller) -> Void

    init(provider: any CloudProvider, identity: IdentityHealth, clock: any DiscoClock,
         signedIn: @escaping @Sendable (Caller) -> Void = { _ in }) {
        self.provider = provider
        self.identity = identity
        self.signedIn = signedIn
        refused = TokenRefusals(seconds: 10, clock: clock)
        refusals = RateLimiter(name: "refused tokens", burst: 30, interval: 1, clock: clock)
    }

    /// The caller of `request`, or a 401 (no or bad token) / 403 (token for another project than `X-Tenant-Name`).
    func authenticate(_ request: HTTPServerRequest) async throws(APIError) -> Caller {
        guard let token = request.headers["X-Auth-Token"].map({ String($0.trimmingOWS()) }), !token.isEmpty else {
            throw .unauthorized("X-Auth-Token is missing; get a token from Keystone (e.g. TOKEN=$(disco-cli token))",
                                identityURI: provider.identityURI)
        }
        guard token.utf8.count <= 8192, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw .unauthorized("X-Auth-Token is not a token", identityURI: provider.identityURI)
        }
        let principal = try await verify(token, peer: request.peer, revalidate: Self.revalidates(request))
        // Clusters belong to projects: an unscoped or domain-scoped token would share one empty project with others.
        guard !principal.projectID.isEmpty else {
            throw APIError(status: 403, message: "the token is not scoped to a project (an unscoped or domain-scoped token); "
                           + "get a project-scoped one, e.g. with OS_PROJECT_NAME set: openstack token issue")
        }
        if let tenant = request.headers["X-Tenant-Name"].map({ String($0.trimmingOWS()) }), !tenant.isEmpty,
           !tenant.hasPrefix("$"), tenant != principal.projectName, tenant != principal.projectID {
            // An unexpanded shell variable (a single-quoted '$OS_TENANT_NAME') is ignored: the token names the project.
            throw APIError(status: 403, message: "the token is for project '\(principal.projectName)', not '\(tenant.prefix(64))'")
        }
        let caller = Caller(principal: principal, token: token)
        signedIn(caller)
        return caller
    }

    /// Whether `request` changes something (any method but GET, HEAD and OPTIONS) or reads a secret (an SSH key,
    /// generated passwords): its token is then checked with Keystone, never taken from the cache.
    static func revalidates(_ request: HTTPServerRequest) -> Bool {
        guard ["GET", "HEAD", "OPTIONS"].contains(request.method) else { return true }
        let last = request.path.split(separator: "/").last
        return last == "ssh-key" || last == "passwords"
    }

    private func verify(_ token: String, peer: String, revalidate: Bool) async throws(APIError) -> Principal {
        if refused.contains(token) { throw invalid() }
        if let wait = refusals.exhausted(peer) {
            if !revalidate, let principal = provider.recentlyVerified(token: token) { return principal }
            throw .tooMany(refusals, from: peer, retryAfter: wait)
        }
        do {
            return try await provider.verify(token: token, revalidate: revalidate)
        } catch let error as CloudError where error.kind == .unauthorized || error.kind == .notFound || error.kind == .forbidden {
            if let problem = await identity.currentProblem() { throw identity.error(problem) }
            refused.insert(token)
            refusals.charge(peer)
            throw invalid()
        } catch {
            if let problem = await identity.currentProblem() { throw identity.error(problem) }
            throw APIError(status: 503, message: "the identity service could not check the token: \(error)",
                           headers: ["Retry-After": "5"])
        }
    }

    private func invalid() -> APIError {
        .unauthorized("the token is invalid or expired; get a new one", identityURI: provider.identityURI)
    }
}
