import Foundation

/// The image and flavor of one kind of node.
public struct NodeSpec: Sendable, Hashable, Codable {
    /// Glance image name or id.
    public var image: String
    /// Nova flavor name or id.
    public var flavor: String

    public init(image: String, flavor: String) {
        self.image = image
        self.flavor = flavor
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case image, flavor
    }

    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, base: nil)
    }

    /// Decodes a node; what it leaves out is `base`'s (the master's, for the workers), else the decoder's
    /// ``SpecFallbacks``.
    init(from decoder: any Decoder, base: NodeSpec?) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        image = try c.decode(String.self, forKey: .image, fallback: base?.image ?? decoder.specFallbacks?.image)
        flavor = try c.decode(String.self, forKey: .flavor, fallback: base?.flavor ?? decoder.specFallbacks?.flavor)
    }
}
