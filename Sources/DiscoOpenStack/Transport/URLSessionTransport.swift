import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real transport, over `URLSession`.
///
/// Notes from Linux: timeouts are truncated to whole seconds, so the request's timeout is rounded up to
/// an integer of at least 1; non-2xx statuses (401, 503…) come back as responses, not errors. Redirects are
/// followed by `URLSession` itself, so callers must accept either the 302 or the final 200.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession

    /// Creates a transport with an ephemeral session (no cookies, no cache).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = max(1, request.timeout.rounded(.up))
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch let error as URLError {
            if error.code == .cancelled { throw CancellationError() }
            throw TransportError(isTimeout: error.code == .timedOut,
                                 message: "\(request.method) \(request.url.absoluteString): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw TransportError(message: "\(request.method) \(request.url.absoluteString): not an HTTP response")
        }
        var headers: [(name: String, value: String)] = []
        for (key, value) in http.allHeaderFields {
            headers.append((String(describing: key), String(describing: value)))
        }
        headers.sort { $0.name.lowercased() < $1.name.lowercased() }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }
}
