public import Foundation

/// Where and how to authenticate, as an openrc file or `clouds.yaml` entry says.
public struct OpenStackAuthOptions: Sendable, Hashable {
    /// `OS_AUTH_URL`.
    public var authURL: URL
    public var method: AuthMethod
    /// `OS_REGION_NAME`.
    public var region: String?
    /// `OS_INTERFACE` (`public` when unset).
    public var interface: String

    public init(authURL: URL, method: AuthMethod, region: String? = nil, interface: String = "public") {
        self.authURL = authURL
        self.method = method
        self.region = region
        self.interface = interface
    }

    /// Reads the `OS_*` variables of an openrc file.
    ///
    /// Understood: `OS_AUTH_URL`, `OS_AUTH_TYPE` (`password`, `v3applicationcredential`, `token`/`v3token`),
    /// `OS_USERNAME`/`OS_USER_ID`, `OS_PASSWORD`, `OS_PROJECT_NAME`/`OS_TENANT_NAME`, `OS_PROJECT_ID`/`OS_TENANT_ID`,
    /// `OS_USER_DOMAIN_NAME`/`_ID`, `OS_PROJECT_DOMAIN_NAME`/`_ID` (falling back to `OS_DOMAIN_NAME`, then `Default`),
    /// `OS_REGION_NAME`, `OS_INTERFACE`/`OS_ENDPOINT_TYPE`, `OS_APPLICATION_CREDENTIAL_ID`/`_SECRET`, `OS_TOKEN`.
    /// - Returns: `nil` when `OS_AUTH_URL` or the credentials are missing.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self? {
        func value(_ names: String...) -> String? {
            for name in names { if let v = environment[name], !v.isEmpty { return v } }
            return nil
        }
        guard let urlText = value("OS_AUTH_URL"), let authURL = URL(string: urlText) else { return nil }
        let authType = value("OS_AUTH_TYPE")?.lowercased()
        let project: IdentityReference? = {
            if let id = value("OS_PROJECT_ID", "OS_TENANT_ID") { return .id(id) }
            guard let name = value("OS_PROJECT_NAME", "OS_TENANT_NAME") else { return nil }
            return IdentityReference(name: name, domainID: value("OS_PROJECT_DOMAIN_ID"),
                                     domainName: value("OS_PROJECT_DOMAIN_NAME", "OS_DOMAIN_NAME") ?? "Default")
        }()
        let method: AuthMethod
        if authType == "v3applicationcredential" || (authType == nil && value("OS_APPLICATION_CREDENTIAL_ID") != nil) {
            guard let id = value("OS_APPLICATION_CREDENTIAL_ID"), let secret = value("OS_APPLICATION_CREDENTIAL_SECRET") else {
                return nil
            }
            method = .applicationCredential(id: id, secret: secret)
        } else if authType == "token" || authType == "v3token" || (authType == nil && value("OS_TOKEN") != nil) {
            guard let token = value("OS_TOKEN") else { return nil }
            method = .token(token, project: project)
        } else {
            guard let password = value("OS_PASSWORD") else { return nil }
            let user: IdentityReference
            if let id = value("OS_USER_ID") { user = .id(id) } else if let name = value("OS_USERNAME") {
                user = IdentityReference(name: name, domainID: value("OS_USER_DOMAIN_ID"),
                                         domainName: value("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME") ?? "Default")
            } else { return nil }
            method = .password(user: user, password: password, project: project)
        }
        var interface = value("OS_INTERFACE", "OS_ENDPOINT_TYPE") ?? "public"
        interface = interface.replacingOccurrences(of: "URL", with: "").lowercased()
        return Self(authURL: authURL, method: method, region: value("OS_REGION_NAME"), interface: interface)
    }

    /// Reads `export OS_…=…` lines of an openrc file's text (no shell evaluation; quotes are stripped).
    public static func fromOpenRC(_ text: String, environment: [String: String] = [:]) -> Self? {
        var variables = environment
        for line in text.split(whereSeparator: \.isNewline) {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("export ") { trimmed.removeFirst(7) }
            guard trimmed.hasPrefix("OS_"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = String(trimmed[..<equals])
            var value = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            variables[name] = value
        }
        return fromEnvironment(variables)
    }
}
