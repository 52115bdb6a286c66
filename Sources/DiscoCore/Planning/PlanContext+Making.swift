import Foundation

extension PlanContext {
    /// A context for a new cluster: a fresh id, its keys and a random salt.
    ///
    /// ```swift
    /// let keys = ClusterKeys(user: try await generator.makeKeyPair(comment: "disco-analytics"))
    /// let plan = try Planner(catalog: .builtIn()).plan(spec, inventory: inventory, context: .newCluster(keys: keys))
    /// ```
    public static func newCluster(keys: ClusterKeys) -> PlanContext {
        PlanContext(clusterID: UUID().uuidString.lowercased(), keys: keys, secretSalt: randomSalt())
    }

    /// A context for checking a spec and showing its plan before anything exists: a fixed id, placeholder keys, and
    /// secrets shown as ``secretHashPlaceholder`` (no hash of a user's password leaves DISCO in a preview).
    ///
    /// Its template is not meant to be deployed: the SSH keys are placeholders.
    public static var preview: PlanContext {
        let placeholder = SSHKeyPair(publicKey: "ssh-ed25519 (made at create time)", privateKey: "")
        return PlanContext(clusterID: "00000000-0000-0000-0000-000000000000",
                           keys: ClusterKeys(user: placeholder), secretSalt: randomSalt(), hashesSecrets: false)
    }

    /// 16 random hexadecimal digits, for ``secretSalt``.
    public static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hexString((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
