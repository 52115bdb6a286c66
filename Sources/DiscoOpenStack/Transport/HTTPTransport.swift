import Foundation

/// The one seam between the OpenStack clients and the network.
///
/// Modelled on swift-openapi-runtime's `ClientTransport`: the real implementation is
/// ``URLSessionTransport``; tests use `FixtureTransport` (package access) or the ``SimulatedCloud``.
///
/// A transport returns every HTTP status as a response (a 401 or 503 does not throw); it throws only
/// when no response arrived (connection refused, timeout, cancellation).
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
