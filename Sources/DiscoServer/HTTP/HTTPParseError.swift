import Foundation
import Glibc

/// Why a request could not be parsed; each maps to the status the server answers with before closing.
enum HTTPParseError: Error, Equatable, CustomStringConvertible {
    case badRequest(String)
    case uriTooLong
    case headersTooLarge
    case tooManyHeaders
    case bodyTooLarge
    case versionNotSupported
    case notImplemented(String)
    case expectationFailed

    var status: Int {
        switch self {
        case .badRequest: 400
        case .uriTooLong: 414
        case .headersTooLarge, .tooManyHeaders: 431
        case .bodyTooLarge: 413
        case .versionNotSupported: 505
        case .notImplemented: 501
        case .expectationFailed: 417
        }
    }

    var description: String {
        switch self {
        case .badRequest(let why): "bad request: \(why)"
        case .uriTooLong: "request line too long"
        case .headersTooLarge: "request header fields too large"
        case .tooManyHeaders: "too many request header fields"
        case .bodyTooLarge: "request body too large"
        case .versionNotSupported: "HTTP version not supported"
        case .notImplemented(let what): "not implemented: \(what)"
        case .expectationFailed: "expectation failed"
        }
    }
}
