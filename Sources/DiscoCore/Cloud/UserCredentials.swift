import Foundation

/// How a user proves who they are when asking the cloud for a token.
public enum UserCredentials: Sendable, Hashable {
    /// Keystone password auth; `project` and `domain` by name.
    case password(user: String, password: String, project: String, domain: String)
    /// A Keystone application credential.
    case applicationCredential(id: String, secret: String)
}
