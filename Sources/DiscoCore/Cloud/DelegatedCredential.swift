import Foundation

/// A credential DISCO holds for work on a cluster that outlives the user's request (following the stack,
/// scaling, TTL deletes): a Keystone application credential, never the user's password.
///
/// It is a secret: the registry stores it in a file of mode 0600 and never renders it.
public struct DelegatedCredential: Sendable, Hashable, Codable {
    public var id: String
    public var secret: String
    public var projectID: String
    public var userID: String

    public init(id: String, secret: String, projectID: String, userID: String) {
        self.id = id
        self.secret = secret
        self.projectID = projectID
        self.userID = userID
    }
}
