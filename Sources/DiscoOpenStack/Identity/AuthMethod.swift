import DiscoCore
import Foundation

/// How to authenticate with Keystone.
public enum AuthMethod: Sendable, Hashable {
    /// Password auth, optionally scoped to a project.
    case password(user: IdentityReference, password: String, project: IdentityReference?)
    /// A Keystone application credential (implicitly scoped to its project).
    case applicationCredential(id: String, secret: String)
    /// An existing token, rescoped to `project` (keystoneauth's `v3token`).
    case token(String, project: IdentityReference?)

    /// Whether a fresh token can outlive the current one (not so for `.token`).
    var canRenew: Bool {
        if case .token = self { return false }
        return true
    }
}
