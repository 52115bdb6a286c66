import Foundation

/// A token issued by the identity service.
public struct IssuedToken: Sendable, Hashable {
    public var token: String
    public var principal: Principal
    public init(token: String, principal: Principal) {
        self.token = token
        self.principal = principal
    }
}
