/// Settings that shape every plan; operators set them in the server configuration.
public struct PlanOptions: Sendable, Hashable {
    /// Base URL artefacts are downloaded from.
    public var mirror: String
    /// Base URL of the Apache `.sha512` files used when a manifest pins no checksum.
    public var checksumBase: String
    /// The cluster network's CIDR (each cluster has its own network, so clusters may share it).
    public var clusterCIDR: String
    /// DNS servers for the cluster subnet; empty leaves Neutron's default.
    public var dnsNameservers: [String]
    /// How long the install may take before the stack fails.
    public var installTimeoutSeconds: Int
    public var limits: SpecLimits
    /// How each node's install script is sent as user data.
    public var userData: UserDataForm
    /// The networks (CIDR) allowed to reach a cluster's public ports and ping it, unless its spec says otherwise.
    public var allowedSources: [String]

    public init(mirror: String = "https://archive.apache.org/dist", checksumBase: String = "https://archive.apache.org/dist",
                clusterCIDR: String = "10.42.0.0/24", dnsNameservers: [String] = [], installTimeoutSeconds: Int = 3600,
                limits: SpecLimits = .standard, userData: UserDataForm = .auto,
                allowedSources: [String] = ["0.0.0.0/0"]) {
        self.mirror = mirror
        self.checksumBase = checksumBase
        self.clusterCIDR = clusterCIDR
        self.dnsNameservers = dnsNameservers
        self.installTimeoutSeconds = installTimeoutSeconds
        self.limits = limits
        self.userData = userData
        self.allowedSources = allowedSources
    }
}
