import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// The real transport, over `URLSession`.
///
/// Notes from Linux: timeouts are truncated to whole seconds, so the request's timeout is rounded up to
/// an integer of at least 1; non-2xx statuses (401, 503…) come back as responses, not errors. Redirects are
/// followed by `URLSession` itself, so callers must accept either the 302 or the final 200.
///
/// Cancelling the calling task ends `send` at once with `CancellationError`, but never cancels the
/// `URLSessionTask`: the request runs on to its answer or its timeout and the result is dropped. On Linux
/// (swift-corelibs-foundation, Swift 6.3) `URLSessionTask.cancel()` racing the task's completion either
/// deadlocks — `data(for:)`'s cancellation handler waits for the session's work queue while holding the task's
/// status lock that the completing thread needs (swift-corelibs-foundation#5412) — or crashes with "Trying to
/// access a behaviour for a task that in not in the registry". Both were seen here when a graceful stop cancelled
/// cluster drivers in mid-request.
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
        let what = "\(request.method) \(request.url.absoluteString)"
        let (data, response) = try await load(urlRequest, describedAs: what)
        guard let http = response as? HTTPURLResponse else {
            throw TransportError(message: "\(what): not an HTTP response")
        }
        var headers: [(name: String, value: String)] = []
        for (key, value) in http.allHeaderFields {
            headers.append((String(describing: key), String(describing: value)))
        }
        headers.sort { $0.name.lowercased() < $1.name.lowercased() }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    private func load(_ urlRequest: URLRequest, describedAs what: String) async throws -> (Data, URLResponse) {
        let call = PendingLoad()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard call.wait(with: continuation) else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                session.dataTask(with: urlRequest) { data, response, error in
                    guard let continuation = call.finish() else { return }  // the caller was cancelled
                    if let error {
                        let urlError = error as? URLError
                        continuation.resume(throwing: TransportError(isTimeout: urlError?.code == .timedOut,
                                                                     message: "\(what): \(error.localizedDescription)"))
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: TransportError(message: "\(what): no response"))
                    }
                }.resume()
            }
        } onCancel: {
            call.cancel()?.resume(throwing: CancellationError())
        }
    }
}

/// Hands one load's continuation to whichever comes first: the `URLSessionTask`'s completion or the caller's
/// cancellation; the other finds nothing to resume.
private final class PendingLoad: Sendable {
    typealias Continuation = CheckedContinuation<(Data, URLResponse), any Error>

    private enum State {
        case starting
        case waiting(Continuation)
        case cancelled
        case finished
    }

    private let state = Mutex(State.starting)

    /// Stores the continuation; false when the caller was cancelled before the load started.
    func wait(with continuation: Continuation) -> Bool {
        state.withLock { state in
            guard case .starting = state else { return false }
            state = .waiting(continuation)
            return true
        }
    }

    /// The continuation to resume with the load's result, unless the caller was cancelled first.
    func finish() -> Continuation? { take(becoming: .finished) }

    /// The continuation to resume with `CancellationError`, unless the load finished first.
    func cancel() -> Continuation? { take(becoming: .cancelled) }

    private func take(becoming next: State) -> Continuation? {
        state.withLock { state in
            switch state {
            case let .waiting(continuation):
                state = next
                return continuation
            case .starting:
                state = next
                return nil
            case .cancelled, .finished:
                return nil
            }
        }
    }
}
