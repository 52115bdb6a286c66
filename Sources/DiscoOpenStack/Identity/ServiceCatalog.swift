import DiscoCore
public import Foundation

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
