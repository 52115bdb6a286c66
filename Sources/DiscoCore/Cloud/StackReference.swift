import Foundation

/// Identifies a Heat stack by name and id (`/stacks/{name}/{id}`).
public struct StackReference: Sendable, Hashable, Codable {
    public var name: String
    public var id: String
    public init(name: String, id: String) {
        self.name = name
        self.id = id
    }
}
