import Foundation

/// The images, flavors and networks a project can use, read once before planning.
public struct CloudInventory: Sendable, Hashable, Codable {
    public var images: [Image]
    public var flavors: [Flavor]
    public var networks: [Network]
    public var quota: QuotaHeadroom

    public init(images: [Image], flavors: [Flavor], networks: [Network], quota: QuotaHeadroom = .init()) {
        self.images = images
        self.flavors = flavors
        self.networks = networks
        self.quota = quota
    }

    /// The flavor whose id or name is `reference`.
    public func flavor(_ reference: String) -> Flavor? {
        flavors.first { $0.id == reference } ?? flavors.first { $0.name == reference }
    }

    /// The image whose id or name is `reference`.
    public func image(_ reference: String) -> Image? {
        images.first { $0.id == reference } ?? images.first { $0.name == reference }
    }

    /// The network whose id or name is `reference`.
    public func network(_ reference: String) -> Network? {
        networks.first { $0.id == reference } ?? networks.first { $0.name == reference }
    }
}
