import DiscoCore
@testable import DiscoOpenStack
import Foundation
import Testing

/// Keystone v3 of the real cloud: password, token and application-credential auth, the catalog, and token
/// validation as `disco-sm` does it.
@Suite(.serialized, .enabled(if: RealCloud.isUp, RealCloud.skipReason))
struct RealKeystoneTests {
    func keystone(_ transport: any HTTPTransport) throws -> KeystoneClient {
        KeystoneClient(authURL: try RealCloud.options().authURL, transport: transport, configuration: RealCloud.configuration())
    }

    @Test func passwordAuthGivesPrincipalAndCatalog() async throws {
        let user = try RealCloud.user()
        let token = try await RealCloud.record("identity/password-201.json", "POST /v3/auth/tokens (password, project scope) against real Keystone") {
            try await keystone($0).authenticate(.password(user: .name(user.name), password: user.password, project: .name(user.project)))
        }
        #expect(token.value.hasPrefix("gAAAAA"))
        #expect(token.principal.userName == user.name)
        #expect(token.principal.projectName == user.project)
        #expect(Set(token.principal.roles).isSuperset(of: ["member", "heat_stack_owner"]), "\(token.principal.roles)")
        #expect(token.expiresAt.timeIntervalSinceNow > 600)
        for type in ["identity", "orchestration", "compute", "network", "image", "placement"] {
            #expect(token.catalog.endpoint(type: type, region: "RegionOne") != nil, "no \(type) endpoint")
        }
        #expect(token.catalog.endpoint(type: "orchestration")?.absoluteString == "http://127.0.0.1:8004/v1/\(token.principal.projectID)")
        #expect(token.catalog.endpoint(type: "compute", interface: "internalURL")?.absoluteString == "http://127.0.0.1:8774/v2.1")
        #expect(token.catalog.endpoint(type: "orchestration", region: "Elsewhere") == nil)
    }

    @Test func wrongPasswordIsUnauthorized() async throws {
        let user = try RealCloud.user()
        let error = await cloudError {
            _ = try await RealCloud.record("identity/password-401.json", "POST /v3/auth/tokens with a wrong password against real Keystone") {
                try await keystone($0).authenticate(.password(user: .name(user.name), password: "wrong", project: .name(user.project)))
            }
        }
        #expect(error?.kind == .unauthorized)
        #expect(error?.status == 401)
    }

    @Test func tokenAuthRescopesAnExistingToken() async throws {
        let user = try RealCloud.user()
        let keystone = try keystone(URLSessionTransport())
        let first = try await keystone.authenticate(.password(user: .name(user.name), password: user.password, project: nil))
        #expect(first.principal.projectID.isEmpty, "an unscoped token has no project")
        let scoped = try await keystone.authenticate(.token(first.value, project: .name(user.project)))
        #expect(scoped.principal.projectName == user.project)
        #expect(scoped.principal.userID == first.principal.userID)
        #expect(scoped.value != first.value)
        #expect(scoped.catalog.endpoint(type: "orchestration") != nil)
    }

    /// `disco-sm` checks every caller's token with `GET /v3/auth/tokens`, authorised by the token itself.
    @Test func validatesTokensAsTheServerDoes() async throws {
        let user = try RealCloud.user()
        let issued = try await RealCloud.provider().issueToken(.password(user: user.name, password: user.password,
                                                                          project: user.project, domain: "Default"))
        let checked = try await RealCloud.record("identity/validate-200.json", "GET /v3/auth/tokens (self-validation) against real Keystone") {
            try await keystone($0).validate(token: issued.token)
        }
        #expect(checked.principal.userID == issued.principal.userID)
        #expect(checked.principal.projectID == issued.principal.projectID)
        #expect(Set(checked.principal.roles) == Set(issued.principal.roles))
        let principal = try await RealCloud.provider().verify(token: issued.token)
        #expect(principal.userName == user.name)
        // A token Keystone never issued: 401 (Keystone cannot even authorise the check) → unauthorized.
        let error = await cloudError {
            _ = try await RealCloud.record("identity/validate-401.json", "GET /v3/auth/tokens with a token Keystone never issued") {
                try await keystone($0).validate(token: "gAAAAABnot-a-real-token")
            }
        }
        #expect(error?.kind == .unauthorized)
        await #expect(throws: CloudError.self) { _ = try await RealCloud.provider().verify(token: "gAAAAABnot-a-real-token") }
    }

    /// DISCO's delegation: an application credential per cluster, used for every later call, revoked on delete.
    @Test func applicationCredentialLifecycle() async throws {
        let user = try RealCloud.user()
        let provider = try RealCloud.provider()
        let issued = try await provider.issueToken(.password(user: user.name, password: user.password, project: user.project, domain: "Default"))
        let name = "disco-it-\(UUID().uuidString.prefix(8).lowercased())"
        let first = try await RealCloud.record("identity/appcred-create-201.json", "POST /v3/users/{id}/application_credentials against real Keystone") {
            try await OpenStackCloudProvider(options: try RealCloud.options(), transport: $0, configuration: RealCloud.configuration())
                .delegate(token: issued.token, principal: issued.principal, name: name)
        }
        #expect(first.projectID == issued.principal.projectID)
        #expect(first.userID == issued.principal.userID)
        // Same name again (as when the first answer was lost): Keystone answers 409, the provider finds the old one
        // by name, deletes it and makes a new one.
        let credential = try await provider.delegate(token: issued.token, principal: issued.principal, name: name)
        #expect(credential.id != first.id)
        let replaced = await cloudError { _ = try await keystone(URLSessionTransport()).authenticate(.applicationCredential(id: first.id, secret: first.secret)) }
        #expect(replaced?.kind == .unauthorized || replaced?.kind == .notFound, "\(String(describing: replaced))")

        let token = try await RealCloud.record("identity/appcred-auth-201.json", "POST /v3/auth/tokens (application_credential) against real Keystone") {
            try await keystone($0).authenticate(.applicationCredential(id: credential.id, secret: credential.secret))
        }
        #expect(token.principal.projectID == issued.principal.projectID)
        #expect(token.catalog.endpoint(type: "orchestration") != nil)
        // The credential drives the cloud: inventory and Heat.
        let cloud = try #require(provider.cloud(credential: credential) as? OpenStackCloud)
        let inventory = try await cloud.inventory()
        #expect(inventory.image("ubuntu-22.04") != nil)
        #expect(inventory.flavor("m1.large") != nil)
        #expect(inventory.network("public")?.isExternal == true)
        _ = try await cloud.heat.list()

        try await provider.revoke(credential)
        let after = await cloudError { _ = try await keystone(URLSessionTransport()).authenticate(.applicationCredential(id: credential.id, secret: credential.secret)) }
        #expect(after?.kind == .unauthorized || after?.kind == .notFound, "\(String(describing: after))")
        try await provider.revoke(credential)   // revoking twice is fine
        let left = try await RealIdentityAdmin.applicationCredentials(token: issued.token, userID: issued.principal.userID)
        #expect(!left.contains(name), "\(left)")
    }
}

/// Small direct Keystone calls the clients don't need.
enum RealIdentityAdmin {
    static func applicationCredentials(token: String, userID: String) async throws -> [String] {
        let url = try RealCloud.options().authURL.appending(rawPath: "/users/\(userID)/application_credentials")
        let response = try await URLSessionTransport().send(HTTPRequest.json("GET", url, token: token, timeout: 30))
        let json = try JSONValue.parse(response.body)
        return (json["application_credentials"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }
}
