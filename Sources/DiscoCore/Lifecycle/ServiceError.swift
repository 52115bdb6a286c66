/// Why a cluster operation was refused or failed; the server maps each case to one HTTP status.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    /// The request is invalid (400), with every problem.
    case invalid(SpecValidationError)
    /// No cluster with this id in the caller's project (404).
    case notFound(id: String)
    /// The cluster's state does not allow the operation (409).
    case conflict(String)
    /// The cloud refused or failed (status depends on the kind).
    case cloud(CloudError)
    /// DISCO itself failed (500); the message is safe to show.
    case `internal`(String)

    public var description: String {
        switch self {
        case let .invalid(error): error.description
        case let .notFound(id): "no cluster '\(id.prefix(64))' in this project"
        case let .conflict(message): message
        case let .cloud(error): error.description
        case let .internal(message): message
        }
    }
}
