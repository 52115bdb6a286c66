import Foundation

/// A Neutron network visible to the project.
public struct Network: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// `router:external` — usable as a floating IP pool and router gateway.
    public var isExternal: Bool

    public init(id: String, name: String, isExternal: Bool) {
        self.id = id
        self.name = name
        self.isExternal = isExternal
    }
}
