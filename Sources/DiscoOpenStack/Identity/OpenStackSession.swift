public import DiscoCore
public import Foundation

/// An authenticated session: finds service endpoints in the catalog, adds the token, retries once on 401.
public struct OpenStackSession: Sendable {
    public let tokens: TokenManager
    let executor: Executor

    public init(tokens: TokenManager, transport: any HTTPTransport, configuration: OpenStackClientConfiguration) {
        self.tokens = tokens
        executor = Executor(transport: transport, configuration: configuration)
    }

    public var configuration: OpenStackClientConfiguration { executor.configuration }

    /// The principal of the session's current token.
    public func principal() async throws -> Principal { try await tokens.token().principal }

    /// The catalog endpoint of `serviceType`.
    public func endpoint(_ serviceType: String, service: String) async throws -> URL {
        let token = try await tokens.token()
        guard let url = token.catalog.endpoint(type: serviceType, region: configuration.region,
                                               interface: configuration.interface) else {
            throw CloudError(.notFound, service: service,
                             message: "no \(serviceType) endpoint in the catalog (region \(configuration.region ?? "any"), interface \(configuration.interface))")
        }
        return url
    }

    /// Calls `path` (relative to the endpoint of `serviceType`, may carry a query).
    ///
    /// Returns any response whose status is in `accept`; any other status throws ``DiscoCore/CloudError``.
    func call(_ method: String, serviceType: String, service: String, path: String, body: JSONValue? = nil,
              idempotent: Bool? = nil, accept: Set<Int> = [200, 201, 202, 204], timeout: Double? = nil,
              retryTransportErrors: Bool = true) async throws -> HTTPResponse {
        let isIdempotent = idempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method)
        var renewed = false
        while true {
            let token = try await tokens.token()
            guard let base = token.catalog.endpoint(type: serviceType, region: configuration.region,
                                                    interface: configuration.interface) else {
                throw CloudError(.notFound, service: service,
                                 message: "no \(serviceType) endpoint in the catalog (region \(configuration.region ?? "any"), interface \(configuration.interface))")
            }
            let request = HTTPRequest.json(method, base.appending(rawPath: path), body: body, token: token.value,
                                           timeout: timeout ?? configuration.requestTimeout)
            let response = try await executor.send(request, service: service, idempotent: isIdempotent,
                                                   retryTransportErrors: retryTransportErrors)
            if response.status == 401 && !renewed && tokens.method.canRenew {
                renewed = true
                await tokens.invalidate(token.value)
                continue
            }
            if accept.contains(response.status) { return response }
            throw OpenStackErrors.cloudError(service: service, response: response)
        }
    }

    /// Calls and parses a JSON answer.
    func callJSON(_ method: String, serviceType: String, service: String, path: String, body: JSONValue? = nil,
                  idempotent: Bool? = nil) async throws -> JSONValue {
        let response = try await call(method, serviceType: serviceType, service: service, path: path, body: body,
                                      idempotent: idempotent)
        do { return try JSONValue.parse(response.body) } catch {
            throw CloudError(.invalidResponse, service: service, status: response.status,
                             message: "not JSON: \(response.text.prefix(120))")
        }
    }
}
