public import DiscoCore
public import Foundation

/// A user or project named by id, or by name within a domain (by domain name or id).
public struct IdentityReference: Sendable, Hashable, Codable {
    public var id: String?
    public var name: String?
    public var domainID: String?
    public var domainName: String?

    public init(id: String? = nil, name: String? = nil, domainID: String? = nil, domainName: String? = nil) {
        self.id = id
        self.name = name
        self.domainID = domainID
        self.domainName = domainName
    }

    /// By id.
    public static func id(_ id: String) -> Self { Self(id: id) }
    /// By name in the domain named `domain` (default `Default`).
    public static func name(_ name: String, domain: String = "Default") -> Self { Self(name: name, domainName: domain) }

    var v3JSON: JSONValue {
        var object: [String: JSONValue] = [:]
        if let id { object["id"] = .string(id) }
        if let name { object["name"] = .string(name) }
        if id == nil {
            if let domainID { object["domain"] = ["id": .string(domainID)] }
            else if let domainName { object["domain"] = ["name": .string(domainName)] }
            else { object["domain"] = ["id": "default"] }
        }
        return .object(object)
    }
}

/// How to authenticate with Keystone.
public enum AuthMethod: Sendable, Hashable {
    /// Password auth, optionally scoped to a project.
    case password(user: IdentityReference, password: String, project: IdentityReference?)
    /// A Keystone application credential (implicitly scoped to its project).
    case applicationCredential(id: String, secret: String)
    /// An existing token, rescoped to `project` (keystoneauth's `v3token`).
    case token(String, project: IdentityReference?)

    /// Whether a fresh token can outlive the current one (not so for `.token`).
    var canRenew: Bool {
        if case .token = self { return false }
        return true
    }
}

/// One endpoint of a catalog entry.
public struct CatalogEndpoint: Sendable, Hashable, Codable {
    public var interface: String
    public var region: String?
    public var url: String
    public init(interface: String, region: String?, url: String) {
        self.interface = interface
        self.region = region
        self.url = url
    }
}

/// A service in the Keystone catalog.
public struct CatalogService: Sendable, Hashable, Codable {
    public var type: String
    public var name: String
    public var endpoints: [CatalogEndpoint]
    public init(type: String, name: String, endpoints: [CatalogEndpoint]) {
        self.type = type
        self.name = name
        self.endpoints = endpoints
    }
}

/// The service catalog returned with a token.
public struct ServiceCatalog: Sendable, Hashable, Codable {
    public var services: [CatalogService]
    public init(services: [CatalogService] = []) { self.services = services }

    /// The endpoint URL of the service of `type` (e.g. `orchestration`) in `region` (any when `nil`) for
    /// `interface` (`public`, `internal`, `admin`; `publicURL` style names are accepted).
    public func endpoint(type: String, region: String? = nil, interface: String = "public") -> URL? {
        let wanted = interface.replacingOccurrences(of: "URL", with: "").lowercased()
        let candidates = services.filter { $0.type == type }.flatMap(\.endpoints)
            .filter { $0.interface == wanted && (region == nil || $0.region == region || $0.region == nil) }
        let chosen = candidates.first { region != nil && $0.region == region } ?? candidates.first
        guard let chosen else { return nil }
        var text = chosen.url
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text)
    }
}

/// A token with what Keystone said about it.
public struct AuthToken: Sendable, Hashable {
    /// The token itself (the `X-Subject-Token` header of v3, `access.token.id` of v2.0).
    public var value: String
    public var principal: Principal
    public var catalog: ServiceCatalog
    public var expiresAt: Date { principal.expiresAt }

    public init(value: String, principal: Principal, catalog: ServiceCatalog) {
        self.value = value
        self.principal = principal
        self.catalog = catalog
    }
}
