import Foundation

/// An SSH key pair in OpenSSH formats.
public struct SSHKeyPair: Sendable, Hashable, Codable {
    /// `ssh-ed25519 AAAA… comment`.
    public var publicKey: String
    /// `-----BEGIN OPENSSH PRIVATE KEY-----…`; a secret.
    public var privateKey: String

    public init(publicKey: String, privateKey: String) {
        self.publicKey = publicKey
        self.privateKey = privateKey
    }
}

/// The keys DISCO makes for one cluster.
///
/// The user's pair gives SSH access to every node: only its public half enters Heat (`OS::Nova::KeyPair`
/// with `public_key`); the private half stays with DISCO and the user. The nodes' internal pair is not DISCO's: the
/// master makes it at its first boot and the workers copy it over the cluster network (the base component), so no
/// private key reaches a template, its user data or the metadata service.
public struct ClusterKeys: Sendable, Hashable, Codable {
    public var user: SSHKeyPair

    public init(user: SSHKeyPair) {
        self.user = user
    }
}

/// Makes SSH key pairs.
public protocol SSHKeyGenerating: Sendable {
    func makeKeyPair(comment: String) async throws -> SSHKeyPair
}
