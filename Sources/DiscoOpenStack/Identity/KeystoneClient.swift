public import DiscoCore
public import Foundation

/// A client of the Keystone identity API: v3, and v2.0 for legacy endpoints (an auth URL ending in `/v2.0`).
///
/// ```swift
/// let keystone = KeystoneClient(authURL: URL(string: "https://keystone.example:5000/v3")!,
///                               transport: URLSessionTransport())
/// let token = try await keystone.authenticate(.password(user: .name("demo"), password: "…",
///                                                       project: .name("demo")))
/// let heatURL = token.catalog.endpoint(type: "orchestration")
/// ```
public struct KeystoneClient: Sendable {
    /// The identity base, e.g. `http://host:5000/v3` or `http://host:5000/v2.0`.
    public let authURL: URL
    /// Whether this is a legacy v2.0 endpoint.
    public let isV2: Bool
    let executor: Executor
    static let service = "identity"

    /// - Parameters:
    ///   - authURL: `OS_AUTH_URL`; a URL without a version gets `/v3` appended.
    ///   - transport: how requests travel.
    ///   - configuration: retries, timeouts and clock.
    public init(authURL: URL, transport: any HTTPTransport, configuration: OpenStackClientConfiguration = .init()) {
        var text = authURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v2.0") {
            isV2 = true
        } else {
            isV2 = false
            if !text.hasSuffix("/v3") { text += "/v3" }
        }
        self.authURL = URL(string: text) ?? authURL
        executor = Executor(transport: transport, configuration: configuration)
    }

    // MARK: - Tokens

    /// Asks Keystone for a token (`POST /v3/auth/tokens`, or `POST /v2.0/tokens`).
    /// - Throws: ``DiscoCore/CloudError`` (`.unauthorized` for bad credentials).
    public func authenticate(_ method: AuthMethod) async throws -> AuthToken {
        if isV2 { return try await authenticateV2(method) }
        var identity: [String: JSONValue] = [:]
        var scope: JSONValue?
        switch method {
        case let .password(user, password, project):
            var userJSON = user.v3JSON
            if case .object(var object) = userJSON { object["password"] = .string(password); userJSON = .object(object) }
            identity = ["methods": ["password"], "password": ["user": userJSON]]
            if let project { scope = ["project": project.v3JSON] }
        case let .applicationCredential(id, secret):
            identity = ["methods": ["application_credential"],
                        "application_credential": ["id": .string(id), "secret": .string(secret)]]
        case let .token(token, project):
            identity = ["methods": ["token"], "token": ["id": .string(token)]]
            if let project { scope = ["project": project.v3JSON] }
        }
        var auth: [String: JSONValue] = ["identity": .object(identity)]
        if let scope { auth["scope"] = scope }
        let request = HTTPRequest.json("POST", authURL.appending(rawPath: "/auth/tokens"), body: ["auth": .object(auth)],
                                       timeout: executor.configuration.requestTimeout)
        let response = try await executor.send(request, service: Self.service, idempotent: true)
        guard response.status == 201 || response.status == 200 else {
            throw OpenStackErrors.cloudError(service: Self.service, response: response)
        }
        guard let value = response.header("X-Subject-Token") else {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status,
                             message: "Keystone answered without an X-Subject-Token header")
        }
        return try Self.parseV3(value: value, body: response.body)
    }

    /// Checks `token` (`GET /v3/auth/tokens` with `X-Subject-Token`); the token authorises its own check.
    /// - Throws: `.notFound` or `.unauthorized` when the token is invalid or expired.
    public func validate(token: String, authToken: String? = nil) async throws -> AuthToken {
        guard !isV2 else {
            throw CloudError(.badRequest, service: Self.service, message: "token validation needs Keystone v3")
        }
        var request = HTTPRequest.json("GET", authURL.appending(rawPath: "/auth/tokens"), token: authToken ?? token,
                                       timeout: executor.configuration.requestTimeout)
        request.setHeader("X-Subject-Token", token)
        let response = try await executor.send(request, service: Self.service, idempotent: true)
        guard response.status == 200 else { throw OpenStackErrors.cloudError(service: Self.service, response: response) }
        return try Self.parseV3(value: token, body: response.body)
    }

    // MARK: - Application credentials

    /// Creates an application credential for the token's user and project
    /// (`POST /v3/users/{user_id}/application_credentials`); restricted unless `unrestricted`. Retried on 5xx
    /// answers, never after a timeout (Keystone may have stored it: its name then answers 409).
    public func createApplicationCredential(token: String, userID: String, projectID: String, name: String,
                                            expiresAt: Date?, unrestricted: Bool = false,
                                            description: String = "DISCO cluster credential")
        async throws -> DelegatedCredential {
        var body: [String: JSONValue] = ["name": .string(name), "description": .string(description),
                                         "unrestricted": .bool(unrestricted)]
        if let expiresAt { body["expires_at"] = .string(OpenStackDate.keystone(expiresAt)) }
        let url = authURL.appending(rawPath: "/users/\(escape(userID))/application_credentials")
        let request = HTTPRequest.json("POST", url, body: ["application_credential": .object(body)], token: token,
                                       timeout: executor.configuration.requestTimeout)
        let response = try await executor.send(request, service: Self.service, idempotent: true, retryTransportErrors: false)
        guard response.status == 201 || response.status == 200 else {
            throw OpenStackErrors.cloudError(service: Self.service, response: response)
        }
        let json = try Self.json(response)
        guard let credential = json["application_credential"], let id = credential["id"]?.stringValue,
              let secret = credential["secret"]?.stringValue else {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status,
                             message: "application credential without id or secret")
        }
        return DelegatedCredential(id: id, secret: secret,
                                   projectID: credential["project_id"]?.stringValue ?? projectID, userID: userID)
    }

    /// The user's application credentials, those named `name` only when given
    /// (`GET /v3/users/{user_id}/application_credentials[?name=]`).
    public func applicationCredentials(token: String, userID: String, name: String? = nil) async throws -> [ListedCredential] {
        var components = URLComponents(url: authURL.appending(rawPath: "/users/\(escape(userID))/application_credentials"),
                                       resolvingAgainstBaseURL: false)!
        if let name { components.queryItems = [URLQueryItem(name: "name", value: name)] }
        let request = HTTPRequest.json("GET", components.url!, token: token, timeout: executor.configuration.requestTimeout)
        let response = try await executor.send(request, service: Self.service, idempotent: true)
        guard response.status == 200 else { throw OpenStackErrors.cloudError(service: Self.service, response: response) }
        return (try Self.json(response)["application_credentials"]?.arrayValue ?? []).compactMap { credential in
            guard let id = credential["id"]?.stringValue, let listedName = credential["name"]?.stringValue,
                  name == nil || listedName == name else { return nil }
            return ListedCredential(id: id, name: listedName, projectID: credential["project_id"]?.stringValue ?? "")
        }
    }

    /// Deletes an application credential; one that is already gone counts as deleted.
    public func deleteApplicationCredential(token: String, userID: String, id: String) async throws {
        let url = authURL.appending(rawPath: "/users/\(escape(userID))/application_credentials/\(escape(id))")
        let request = HTTPRequest.json("DELETE", url, token: token, timeout: executor.configuration.requestTimeout)
        let response = try await executor.send(request, service: Self.service, idempotent: true)
        guard (200..<300).contains(response.status) || response.status == 404 else {
            throw OpenStackErrors.cloudError(service: Self.service, response: response)
        }
    }

    // MARK: - Parsing

    static func json(_ response: HTTPResponse) throws -> JSONValue {
        do { return try JSONValue.parse(response.body) } catch {
            throw CloudError(.invalidResponse, service: service, status: response.status,
                             message: "not JSON: \(response.text.prefix(120))")
        }
    }

    static func parseV3(value: String, body: Data) throws -> AuthToken {
        guard let json = try? JSONValue.parse(body), let token = json["token"] else {
            throw CloudError(.invalidResponse, service: service, message: "token response without a token object")
        }
        guard let expires = OpenStackDate.parse(token["expires_at"]?.stringValue) else {
            throw CloudError(.invalidResponse, service: service, message: "token without a readable expires_at")
        }
        let principal = Principal(
            userID: token["user"]?["id"]?.stringValue ?? "", userName: token["user"]?["name"]?.stringValue ?? "",
            projectID: token["project"]?["id"]?.stringValue ?? "", projectName: token["project"]?["name"]?.stringValue ?? "",
            roles: token["roles"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [], expiresAt: expires)
        let services = (token["catalog"]?.arrayValue ?? []).map { entry in
            CatalogService(type: entry["type"]?.stringValue ?? "", name: entry["name"]?.stringValue ?? "",
                           endpoints: (entry["endpoints"]?.arrayValue ?? []).map {
                               CatalogEndpoint(interface: $0["interface"]?.stringValue ?? "public",
                                               region: $0["region"]?.stringValue ?? $0["region_id"]?.stringValue,
                                               url: $0["url"]?.stringValue ?? "")
                           })
        }
        return AuthToken(value: value, principal: principal, catalog: ServiceCatalog(services: services))
    }

    // MARK: - v2.0

    private func authenticateV2(_ method: AuthMethod) async throws -> AuthToken {
        var auth: [String: JSONValue] = [:]
        let project: IdentityReference?
        switch method {
        case let .password(user, password, scope):
            auth["passwordCredentials"] = ["username": .string(user.name ?? user.id ?? ""), "password": .string(password)]
            project = scope
        case let .token(token, scope):
            auth["token"] = ["id": .string(token)]
            project = scope
        case .applicationCredential:
            throw CloudError(.badRequest, service: Self.service,
                             message: "application credentials need Keystone v3; this auth URL is v2.0")
        }
        if let id = project?.id { auth["tenantId"] = .string(id) } else if let name = project?.name { auth["tenantName"] = .string(name) }
        let request = HTTPRequest.json("POST", authURL.appending(rawPath: "/tokens"), body: ["auth": .object(auth)],
                                       timeout: executor.configuration.requestTimeout)
        let response = try await executor.send(request, service: Self.service, idempotent: true)
        guard response.status == 200 || response.status == 201 else {
            throw OpenStackErrors.cloudError(service: Self.service, response: response)
        }
        let json = try Self.json(response)
        guard let access = json["access"], let token = access["token"], let id = token["id"]?.stringValue,
              let expires = OpenStackDate.parse(token["expires"]?.stringValue) else {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status,
                             message: "v2.0 token response without access.token.id/expires")
        }
        let principal = Principal(
            userID: access["user"]?["id"]?.stringValue ?? "", userName: access["user"]?["name"]?.stringValue ?? "",
            projectID: token["tenant"]?["id"]?.stringValue ?? "", projectName: token["tenant"]?["name"]?.stringValue ?? "",
            roles: access["user"]?["roles"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [], expiresAt: expires)
        var services: [CatalogService] = []
        for entry in access["serviceCatalog"]?.arrayValue ?? [] {
            var endpoints: [CatalogEndpoint] = []
            for endpoint in entry["endpoints"]?.arrayValue ?? [] {
                for (key, interface) in [("publicURL", "public"), ("internalURL", "internal"), ("adminURL", "admin")] {
                    if let url = endpoint[key]?.stringValue {
                        endpoints.append(CatalogEndpoint(interface: interface, region: endpoint["region"]?.stringValue, url: url))
                    }
                }
            }
            services.append(CatalogService(type: entry["type"]?.stringValue ?? "", name: entry["name"]?.stringValue ?? "",
                                           endpoints: endpoints))
        }
        return AuthToken(value: id, principal: principal, catalog: ServiceCatalog(services: services))
    }
}
