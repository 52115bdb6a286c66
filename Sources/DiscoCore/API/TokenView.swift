public import Foundation

/// `POST /api/v1/tokens`: a token for the signed-in user.
public struct TokenView: Codable, Sendable, Equatable {
    public var token: String
    public var expiresAt: Date
    public var project: String
    public var projectID: String
    public var user: String

    public init(token: String, expiresAt: Date, project: String, projectID: String, user: String) {
        self.token = token
        self.expiresAt = expiresAt
        self.project = project
        self.projectID = projectID
        self.user = user
    }
}
