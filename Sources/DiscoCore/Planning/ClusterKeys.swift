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

/// The keys made for one cluster.
///
/// The user's pair gives SSH access to every node: only its public half enters Heat (`OS::Nova::KeyPair`
/// with `public_key`); the private half stays with DISCO and the user. The internal pair lets nodes reach
/// each other; it is authorised only from the cluster network.
public struct ClusterKeys: Sendable, Hashable, Codable {
    public var user: SSHKeyPair
    public var `internal`: SSHKeyPair

    public init(user: SSHKeyPair, internal: SSHKeyPair) {
        self.user = user
        self.internal = `internal`
    }
}

/// Makes SSH key pairs.
public protocol SSHKeyGenerating: Sendable {
    func makeKeyPair(comment: String) async throws -> SSHKeyPair
}
