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
    /// A limit the operator set is reached, e.g. the project's most clusters (403); the message names it.
    case limitReached(String)
    /// Too many requests of a kind for now, e.g. creates (429): the message names the limit; `retryAfter` seconds.
    case rateLimited(String, retryAfter: Int)
    /// DISCO itself failed (500); the message is safe to show.
    case `internal`(String)

    public var description: String {
        switch self {
        case let .invalid(error): error.description
        case let .notFound(id): "no cluster '\(id.prefix(64))' in this project"
        case let .conflict(message): message
        case let .cloud(error): error.description
        case let .limitReached(message), let .rateLimited(message, _): message
        case let .internal(message): message
        }
    }
}
