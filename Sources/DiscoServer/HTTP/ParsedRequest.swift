import Foundation
import Glibc

/// A framed request (head and complete body), before server-side decoration.
struct ParsedRequest: Sendable {
    var method: String
    var target: String
    var version: String
    var headers: HTTPHeaders
    var body: Data
    /// Whether the connection may stay open after the response.
    var keepAlive: Bool
}
