import DiscoCore
import Foundation

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
