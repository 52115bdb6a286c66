/// A port opened for the cluster.
public struct PlannedPort: Sendable, Hashable, Codable {
    public var port: Int
    public var `protocol`: String
    public var exposure: PortDefinition.Exposure
    /// The components that need it (`base` for SSH and the status page).
    public var components: [String]
    public var description: String
}
