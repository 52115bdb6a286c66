import Foundation

/// A web UI a component offers on the master.
public struct UILink: Sendable, Hashable, Codable {
    public var name: String
    public var port: Int
    public var path: String
    /// `http` or `https`.
    public var scheme: String

    public init(name: String, port: Int, path: String = "/", scheme: String = "http") {
        self.name = name
        self.port = port
        self.path = path
        self.scheme = scheme
    }

    private enum CodingKeys: String, CodingKey { case name, port, path, scheme }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        port = try c.decode(Int.self, forKey: .port)
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
        scheme = try c.decodeIfPresent(String.self, forKey: .scheme) ?? "http"
        guard scheme == "http" || scheme == "https" else {
            throw DecodingError.dataCorruptedError(forKey: .scheme, in: c, debugDescription: "scheme must be http or https")
        }
    }
}
