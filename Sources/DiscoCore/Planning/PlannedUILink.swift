/// A component web UI on the master.
public struct PlannedUILink: Sendable, Hashable, Codable {
    public var component: String
    public var name: String
    public var port: Int
    public var path: String
    public var scheme: String
    /// Whether the port is open to the world; internal ones are reached through an SSH tunnel.
    public var isPublic: Bool
    /// The Heat output carrying the URL.
    public var outputKey: String
}
