public import DiscoCore
public import Foundation

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
