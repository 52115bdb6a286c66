/// A delegated credential as the identity service lists it: its id and name, never its secret.
public struct ListedCredential: Sendable, Hashable {
    public var id: String
    public var name: String
    public var projectID: String

    public init(id: String, name: String, projectID: String) {
        self.id = id
        self.name = name
        self.projectID = projectID
    }
}
