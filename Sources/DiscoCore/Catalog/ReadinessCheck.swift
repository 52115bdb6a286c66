import Foundation

/// How the master decides a component is up before signalling it ready.
public struct ReadinessCheck: Sendable, Hashable, Codable {
    /// A TCP port on the master that must accept connections.
    public var port: Int?
    /// A URL on the master that must answer 2xx/3xx (e.g. `http://127.0.0.1:8088/ws/v1/cluster/info`).
    public var url: String?
    public var timeoutSeconds: Int

    public init(port: Int? = nil, url: String? = nil, timeoutSeconds: Int = 900) {
        self.port = port
        self.url = url
        self.timeoutSeconds = timeoutSeconds
    }

    private enum CodingKeys: String, CodingKey { case port, url, timeoutSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 900
    }
}
