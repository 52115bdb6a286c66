import Foundation

/// What a server fills in for a create that leaves a node's image or flavor, or the external network, out: the
/// operator's `[disco] default_image`, `default_flavor` and `default_external_network` (on the simulated cloud,
/// ``SpecDefaults``'). A field without a fallback stays required.
///
/// ```swift
/// let spec = try JSONInput.decode(ClusterSpec.self, from: body, fallbacks: SpecFallbacks(image: "debian-12"))
/// ```
public struct SpecFallbacks: Sendable, Hashable {
    public var image: String?
    public var flavor: String?
    public var externalNetwork: String?

    public init(image: String? = nil, flavor: String? = nil, externalNetwork: String? = nil) {
        self.image = image
        self.flavor = flavor
        self.externalNetwork = externalNetwork
    }

    /// ``SpecDefaults``' values.
    public static let builtIn = SpecFallbacks(image: SpecDefaults.image, flavor: SpecDefaults.flavor,
                                              externalNetwork: SpecDefaults.externalNetwork)
}

extension CodingUserInfoKey {
    /// A ``SpecFallbacks`` that ``ClusterSpec`` and ``NodeSpec`` decoding uses for the fields a document leaves out.
    package static let specFallbacks = CodingUserInfoKey(rawValue: "disco.specFallbacks")!
}

extension Decoder {
    var specFallbacks: SpecFallbacks? { userInfo[.specFallbacks] as? SpecFallbacks }
}

extension KeyedDecodingContainer {
    /// The value at `key`, else `fallback`; with neither, the decoding error of a missing key.
    func decode(_ type: String.Type, forKey key: Key, fallback: String?) throws -> String {
        if let fallback, !contains(key) { return fallback }
        return try decode(String.self, forKey: key)
    }
}
