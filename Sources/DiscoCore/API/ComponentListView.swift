import Foundation

/// `GET /api/v1/components`.
public struct ComponentListView: Codable, Sendable {
    public var components: [ComponentView]
    public init(components: [ComponentView]) { self.components = components }
}
