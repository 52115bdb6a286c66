/// What is fixed per cluster before planning: its identity, keys and the salt for secret hashes.
public struct PlanContext: Sendable, Hashable {
    public var clusterID: String
    public var keys: ClusterKeys
    /// Salt for hashing secret properties: random per cluster, at least 8 bytes.
    public var secretSalt: String
    /// Whether secrets are hashed (argon2id is slow on purpose); a preview shows a placeholder instead.
    public var hashesSecrets: Bool

    public init(clusterID: String, keys: ClusterKeys, secretSalt: String, hashesSecrets: Bool = true) {
        self.clusterID = clusterID
        self.keys = keys
        self.secretSalt = secretSalt
        self.hashesSecrets = hashesSecrets
    }

    /// What a preview's template shows where a secret's hash will be.
    public static let secretHashPlaceholder = "argon2:(hashed when the cluster is created)"

    /// The Heat stack name: deterministic, so a repeated create finds the stack instead of making another.
    public var stackName: String { "disco-\(clusterID)" }
}
