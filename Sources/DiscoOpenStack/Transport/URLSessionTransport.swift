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
/// access a behaviour for a task that in not in the registry" (Benchmarks/README.md).
///
/// A request with ``HTTPRequest/maxResponseBytes`` goes through a second session whose delegate keeps at most that
/// many bytes: past it, or past the request's timeout, the caller gets its error at once and the task runs on to its
/// end (bounded by the session's resource timeout), its bytes dropped — for the same reason as above, nothing
/// cancels it.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession
    private let boundedLoads = BoundedLoads()
    private let boundedSession: URLSession

    /// Creates a transport with an ephemeral session (no cookies, no cache).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
        let bounded = URLSessionConfiguration.ephemeral
        bounded.requestCachePolicy = .reloadIgnoringLocalCacheData
        bounded.httpCookieStorage = nil
        bounded.timeoutIntervalForResource = 120  // ends a task its caller gave up on
        boundedSession = URLSession(configuration: bounded, delegate: boundedLoads, delegateQueue: nil)
    }

    deinit {
        boundedSession.finishTasksAndInvalidate()  // the session holds its delegate until invalidated
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = max(1, request.timeout.rounded(.up))
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        let what = "\(request.method) \(request.url.absoluteString)"
        let (data, response) = if let limit = request.maxResponseBytes {
            try await loadBounded(urlRequest, limit: limit, deadline: request.timeout, describedAs: what)
        } else {
            try await load(urlRequest, describedAs: what)
        }
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

extension URLSessionTransport {
    /// A load of at most `limit` body bytes that ends for its caller after `deadline` seconds whatever the peer does.
    private func loadBounded(_ urlRequest: URLRequest, limit: Int, deadline: Double,
                             describedAs what: String) async throws -> (Data, URLResponse) {
        let call = PendingLoad()
        let timer = Task {
            try await Task.sleep(nanoseconds: UInt64(max(0.001, deadline) * 1e9))
            call.cancel()?.resume(throwing: TransportError(
                isTimeout: true, message: "\(what): no whole answer within \(deadline.formatted(.number)) s"))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard call.wait(with: continuation) else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let task = boundedSession.dataTask(with: urlRequest)
                boundedLoads.register(task, BoundedLoads.Load(call: call, limit: limit, what: what))
                task.resume()
            }
        } onCancel: {
            call.cancel()?.resume(throwing: CancellationError())
        }
    }
}

/// The bounded session's delegate: collects each task's body up to its limit and hands the outcome to its caller.
private final class BoundedLoads: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Load {
        let call: PendingLoad
        let limit: Int
        let what: String
        var body = Data()
        var response: URLResponse?
        var overflowed = false
    }

    private let loads = Mutex<[Int: Load]>([:])

    func register(_ task: URLSessionTask, _ load: Load) {
        loads.withLock { $0[task.taskIdentifier] = load }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        loads.withLock { $0[dataTask.taskIdentifier]?.response = response }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overflow: Load? = loads.withLock { loads in
            guard var load = loads[dataTask.taskIdentifier], !load.overflowed else { return nil }
            if load.body.count + data.count > load.limit {
                load.overflowed = true
                load.body = Data()
                loads[dataTask.taskIdentifier] = load
                return load
            }
            load.body.append(data)
            loads[dataTask.taskIdentifier] = load
            return nil
        }
        if let overflow {
            overflow.call.finish()?.resume(throwing: TransportError(
                message: "\(overflow.what): the answer is longer than the \(overflow.limit) bytes DISCO reads"))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let load = loads.withLock({ $0.removeValue(forKey: task.taskIdentifier) }),
              let continuation = load.call.finish() else { return }
        if let error {
            continuation.resume(throwing: TransportError(isTimeout: (error as? URLError)?.code == .timedOut,
                                                         message: "\(load.what): \(error.localizedDescription)"))
        } else if let response = load.response {
            continuation.resume(returning: (load.body, response))
        } else {
            continuation.resume(throwing: TransportError(message: "\(load.what): no response"))
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
