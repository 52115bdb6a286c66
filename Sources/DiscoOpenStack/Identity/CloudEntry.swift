/// One cloud of `clouds.yaml` with `secure.yaml` merged in: the settings disco-cli signs in with.
package struct CloudEntry: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    package var name: String
    /// The `clouds.yaml` (or `.yml`, `.json`) it was read from.
    package var file: String
    package var authURL: String?
    package var username: String?
    package var password: String?
    package var projectName: String?
    package var projectID: String?
    package var userDomainName: String?
    package var userDomainID: String?
    package var projectDomainName: String?
    package var regionName: String?
    /// `password` or `v3password`; nil when the file gives none (password is the default).
    package var authType: String?

    package init(name: String, file: String) {
        self.name = name
        self.file = file
    }

    /// Without the password.
    package var description: String {
        "cloud '\(name)' of \(file) (user \(username ?? "-"), project \(projectName ?? projectID ?? "-"), "
            + "password \(password == nil ? "not given" : "given"))"
    }

    package var debugDescription: String { description }
}
