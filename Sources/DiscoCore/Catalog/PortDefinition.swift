import Foundation

/// A port a component listens on.
public struct PortDefinition: Sendable, Hashable, Codable {
    public enum Exposure: String, Sendable, Hashable, Codable {
        /// Opened to the world in the security group.
        case `public`
        /// Reachable only from inside the cluster network.
        case `internal`
    }

    public var port: Int
    public var `protocol`: String
    public var exposure: Exposure
    public var description: String

    public init(port: Int, protocol: String = "tcp", exposure: Exposure, description: String = "") {
        self.port = port
        self.protocol = `protocol`
        self.exposure = exposure
        self.description = description
    }

    private enum CodingKeys: String, CodingKey { case port, `protocol`, exposure, description }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        port = try c.decode(Int.self, forKey: .port)
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol) ?? "tcp"
        exposure = try c.decode(Exposure.self, forKey: .exposure)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
    }
}
