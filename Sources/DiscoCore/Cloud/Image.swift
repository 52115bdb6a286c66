import Foundation

/// A bootable image.
public struct Image: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var status: String

    public init(id: String, name: String, status: String = "active") {
        self.id = id
        self.name = name
        self.status = status
    }
}
