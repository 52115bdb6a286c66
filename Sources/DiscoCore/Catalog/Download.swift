import Foundation

/// An artefact fetched from the download mirror and checked against its SHA-512.
public struct Download: Sendable, Hashable, Codable {
    /// Used in the script as `DISCO_DL_<ID>`.
    public var id: String
    /// Path below the mirror, e.g. `hadoop/common/hadoop-3.4.1/hadoop-3.4.1.tar.gz`.
    public var path: String
    /// Pinned lower-case hex SHA-512; when absent the script verifies against `<checksum base>/<path>.sha512`.
    public var sha512: String?

    public init(id: String, path: String, sha512: String? = nil) {
        self.id = id
        self.path = path
        self.sha512 = sha512
    }
}
