import Foundation

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

    /// `orchestration (Heat) answered HTTP 500: …`: the service type and, for OpenStack's, the project's name.
    public var description: String {
        let named = Self.projectNames[service].map { "\(service) (\($0))" } ?? service
        if let status { return "\(named) answered HTTP \(status): \(message)" }
        return "\(named): \(message)"
    }

    /// The OpenStack project behind each catalog service type, as operators know them.
    static let projectNames = ["identity": "Keystone", "orchestration": "Heat", "compute": "Nova", "network": "Neutron",
                               "image": "Glance", "placement": "Placement"]
}
