/// How a node's install script is sent as user data.
public enum UserDataForm: String, Sendable, Hashable, CaseIterable {
    /// As it is when it fits Nova's limit, packed when it does not.
    case auto
    /// Always packed (gzip, base64, a short unpacker): the smallest user data and Heat template, for clouds whose
    /// metadata service or database keeps less than Nova's 64 KiB.
    case packed
}
