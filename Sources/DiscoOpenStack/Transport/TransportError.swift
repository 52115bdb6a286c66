import Foundation

/// Thrown by a transport when no HTTP response arrived.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether the request timed out (as opposed to a refused or broken connection).
    public var isTimeout: Bool
    public var message: String
    public init(isTimeout: Bool = false, message: String) {
        self.isTimeout = isTimeout
        self.message = message
    }
    public var description: String { message }
}
