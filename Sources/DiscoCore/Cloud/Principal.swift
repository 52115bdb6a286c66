public import Foundation

/// Who a token belongs to, as the identity service says.
public struct Principal: Sendable, Hashable, Codable {
    public var userID: String
    public var userName: String
    public var projectID: String
    public var projectName: String
    public var roles: [String]
    public var expiresAt: Date

    public init(userID: String, userName: String, projectID: String, projectName: String, roles: [String] = [],
                expiresAt: Date) {
        self.userID = userID
        self.userName = userName
        self.projectID = projectID
        self.projectName = projectName
        self.roles = roles
        self.expiresAt = expiresAt
    }
}
