import Foundation

/// Lets the application read the server's statistics once both exist (the server is made after the application).
final class HTTPServerReference: @unchecked Sendable {
    private let lock = NSLock()
    private var _server: HTTPServer?
    var server: HTTPServer? {
        get { lock.withLock { _server } }
        set { lock.withLock { _server = newValue } }
    }
}
