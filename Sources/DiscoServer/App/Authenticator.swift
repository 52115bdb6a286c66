import DiscoCore
import Foundation

/// Who is calling: the verified principal and the token it came with.
struct Caller: Sendable {
    var principal: Principal
    var token: String
}

/// Verifies `X-Auth-Token` with the cloud's identity service. The provider caches answers briefly (so a busy client
/// does not cost a Keystone call per request) and never caches failures.
struct Authenticator: Sendable {
    let provider: any CloudProvider
    /// Consulted when a check fails, so a wrong `design_uri` or a Keystone that is down is not blamed on the token.
    let identity: IdentityHealth

    /// The caller of `request`, or a 401 (no or bad token) / 403 (token for another project than `X-Tenant-Name`).
    func authenticate(_ request: HTTPServerRequest) async throws(APIError) -> Caller {
        guard let token = request.headers["X-Auth-Token"].map({ String($0.trimmingOWS()) }), !token.isEmpty else {
            throw .unauthorized("X-Auth-Token is missing; get a token from Keystone (e.g. TOKEN=$(disco-cli token))",
                                identityURI: provider.identityURI)
        }
        guard token.utf8.count <= 8192, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw .unauthorized("X-Auth-Token is not a token", identityURI: provider.identityURI)
        }
        let principal = try await verify(token)
        if let tenant = request.headers["X-Tenant-Name"].map({ String($0.trimmingOWS()) }), !tenant.isEmpty,
           !tenant.hasPrefix("$"), tenant != principal.projectName, tenant != principal.projectID {
            // An unexpanded shell variable (a single-quoted '$OS_TENANT_NAME') is ignored: the token names the project.
            throw APIError(status: 403, message: "the token is for project '\(principal.projectName)', not '\(tenant.prefix(64))'")
        }
        return Caller(principal: principal, token: token)
    }

    private func verify(_ token: String) async throws(APIError) -> Principal {
        do {
            return try await provider.verify(token: token)
        } catch let error as CloudError where error.kind == .unauthorized || error.kind == .notFound || error.kind == .forbidden {
            if let problem = await identity.currentProblem() { throw identity.error(problem) }
            throw .unauthorized("the token is invalid or expired; get a new one", identityURI: provider.identityURI)
        } catch {
            if let problem = await identity.currentProblem() { throw identity.error(problem) }
            throw APIError(status: 503, message: "the identity service could not check the token: \(error)",
                           headers: ["Retry-After": "5"])
        }
    }
}
