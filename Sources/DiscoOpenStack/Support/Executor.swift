import DiscoCore
import Foundation

/// Sends one logical call with retries; knows nothing about tokens.
struct Executor: Sendable {
    let transport: any HTTPTransport
    let configuration: OpenStackClientConfiguration

    /// Sends `request`; retries retryable statuses and connection errors when `idempotent`.
    /// Returns every response that is not retried (callers classify errors).
    /// `retryTransportErrors: false` retries only answered statuses: after a timeout the server may still act on the request.
    func send(_ request: HTTPRequest, service: String, idempotent: Bool, retryTransportErrors: Bool = true) async throws -> HTTPResponse {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as FixtureMismatch {
                throw error
            } catch {
                let timeout = (error as? TransportError)?.isTimeout ?? false
                if idempotent && retryTransportErrors && attempt < policy.maxAttempts {
                    try await configuration.clock.sleep(seconds: policy.delay(beforeRetry: attempt, retryAfter: nil))
                    continue
                }
                let failure = CloudError(.unreachable, service: service,
                                         message: "\(request.method) \(request.url.path) \(timeout ? "timed out" : "failed"): \(error)")
                // /healthz is read without a token: the method only, no URL (project ids, stack names) or error text.
                configuration.reachability.failed(service, kind: failure.kind, message: "\(request.method) \(timeout ? "timed out" : "got no connection")",
                                                  at: configuration.clock.now())
                throw failure
            }
            if RetryPolicy.isRetryable(status: response.status), idempotent, attempt < policy.maxAttempts {
                let (reason, type) = OpenStackErrors.reason(of: response)
                if !OpenStackErrors.isQuota(reason: reason, type: type) {
                    let retryAfter = response.header("Retry-After")
                    let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter)
                    if let retryAfter, let asked = Double(retryAfter), asked > policy.maxRetryAfter {
                        note(response, of: request, service: service)
                        return response
                    }
                    try await configuration.clock.sleep(seconds: wait)
                    continue
                }
            }
            note(response, of: request, service: service)
            return response
        }
    }

    /// A 5xx is no working answer; anything else is one, a refusal included.
    private func note(_ response: HTTPResponse, of request: HTTPRequest, service: String) {
        guard response.status >= 500 else { return configuration.reachability.answered(service) }
        configuration.reachability.failed(service, kind: .unavailable, message: "\(request.method) answered HTTP \(response.status)",
                                          at: configuration.clock.now())
    }
}
