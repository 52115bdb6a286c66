import DiscoCore
import DiscoOCCI
import Foundation

/// An error answered to a client: a status, a message that says what was wrong and what is accepted, and for
/// validation failures every problem with its field path.
struct APIError: Error, Sendable {
    var status: Int
    var message: String
    var problems: [SpecProblem] = []
    var headers: HTTPHeaders = [:]

    static func badRequest(_ message: String, problems: [SpecProblem] = []) -> APIError {
        APIError(status: 400, message: message, problems: problems)
    }

    static func notFound(_ message: String) -> APIError { APIError(status: 404, message: message) }

    static func unauthorized(_ message: String, identityURI: String) -> APIError {
        APIError(status: 401, message: message, headers: ["WWW-Authenticate": "Keystone uri='\(identityURI)'"])
    }

    /// A 429 from `limiter` for `peer`, who may try again in `seconds`: names the limit.
    static func tooMany(_ limiter: RateLimiter, from peer: String, retryAfter seconds: Int) -> APIError {
        APIError(status: 429, message: "too many \(limiter.name) from \(peer.prefix(64)): \(limiter.rule); try again in \(seconds) s",
                 headers: ["Retry-After": String(seconds)])
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        APIError(status: 405, message: "\(method) is not supported here; use \(allowed.joined(separator: ", "))",
                 headers: ["Allow": allowed.joined(separator: ", ")])
    }

    init(status: Int, message: String, problems: [SpecProblem] = [], headers: HTTPHeaders = [:]) {
        self.status = status
        self.message = message
        self.problems = problems
        self.headers = headers
    }

    /// Any error of a route's work: an API error as it is, the cluster service's mapped to statuses, anything else a
    /// 500 that names nothing internal.
    static func of(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: error
        case let error as ServiceError: APIError(error)
        default: APIError(status: 500, message: "unexpected error")
        }
    }

    /// Maps the cluster service's errors to statuses.
    init(_ error: ServiceError) {
        switch error {
        case let .invalid(validation):
            self.init(status: 400, message: Self.invalidRequest(validation.problems), problems: validation.problems)
        case .notFound:
            self.init(status: 404, message: error.description)
        case .conflict:
            self.init(status: 409, message: error.description)
        case let .cloud(cloud):
            switch cloud.kind {
            case .unauthorized: self.init(status: 401, message: cloud.description)
            case .forbidden, .trustRefused: self.init(status: 403, message: cloud.description)
            case .quotaExceeded: self.init(status: 413, message: cloud.description)
            case .badRequest: self.init(status: 400, message: cloud.description)
            case .notFound: self.init(status: 404, message: cloud.description)
            case .conflict: self.init(status: 409, message: cloud.description)
            case .unavailable, .unreachable, .invalidResponse: self.init(status: 503, message: cloud.description,
                                                                         headers: ["Retry-After": "5"])
            }
        case .limitReached:
            self.init(status: 403, message: error.description)
        case let .rateLimited(_, retryAfter):
            self.init(status: 429, message: error.description, headers: ["Retry-After": String(retryAfter)])
        case .internal:
            self.init(status: 500, message: error.description)
        }
    }

    /// `the request is invalid: workers: -1 is not allowed; use 0…1000`; with several problems, one per line after
    /// `the request is invalid:`. A problem never spans lines (``SpecProblem/description`` escapes line breaks).
    static func invalidRequest(_ problems: [SpecProblem]) -> String {
        if problems.count == 1 { return "the request is invalid: \(problems[0])" }
        return "the request is invalid:\n" + problems.map(\.description).joined(separator: "\n")
    }

    /// Positions, not values: the text an OCCI error points at can be an attribute value, i.e. a password. Only
    /// the negotiation headers' values are quoted back.
    init(_ error: OCCIParseError) {
        var positioned = error
        if !["Accept", "Content-Type", "User-Agent"].contains(error.field ?? "") { positioned.excerpt = nil }
        self.init(status: error.httpStatus, message: positioned.description)
    }

    /// A `text/plain` rendering: the message, then one line per problem.
    var plainResponse: HTTPServerResponse {
        var response = HTTPServerResponse.text(status, message.hasSuffix("\n") ? message : message + "\n")
        for (name, value) in headers { response.headers.add(name, value) }
        response.headers.set("X-OCCI-Error", String(message.replacingOccurrences(of: ":\n", with: ": ")
            .replacingOccurrences(of: "\n", with: "; ").prefix(300)))
        return response
    }

    /// A JSON rendering: `{"error": {"status", "message", "problems": [{path, found, problem, accepted}]}}`.
    var jsonResponse: HTTPServerResponse {
        struct Body: Encodable {
            struct Inner: Encodable {
                var status: Int
                var message: String
                var problems: [SpecProblem]
            }
            var error: Inner
        }
        var response = JSONResponse.make(status, Body(error: .init(status: status, message: message, problems: problems)))
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }
}

/// JSON encoding shared by the REST API.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static func make(_ status: Int, _ value: some Encodable, headers: HTTPHeaders = [:]) -> HTTPServerResponse {
        let body = (try? encoder.encode(value)) ?? Data(#"{"error":{"status":500,"message":"encoding failed"}}"#.utf8)
        var response = HTTPServerResponse(status: status, headers: headers, body: body)
        response.headers.set("Content-Type", "application/json")
        return response
    }

    /// Decodes a request body (unknown fields refused), turning failures into a 400 naming each field.
    static func decode<T: Decodable>(_ type: T.Type, from body: Data, fallbacks: SpecFallbacks? = nil) throws(APIError) -> T {
        do {
            return try JSONInput.decode(type, from: body, fallbacks: fallbacks)
        } catch {
            throw APIError.badRequest("the request body is not accepted: \(error)", problems: error.problems)
        }
    }
}
