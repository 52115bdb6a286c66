import DiscoCore
import DiscoOpenStack
import Foundation

/// A small client of the service manager's REST API (`/api/v1`).
///
/// Every call returns the response body as the server sent it (for `--json`, which passes it through) and,
/// where asked, decoded. Non-2xx answers become ``DiscoClientError/http(status:message:problems:)`` with the
/// server's message and problems; no answer at all becomes ``DiscoClientError/unreachable(_:_:)``.
struct DiscoAPIClient: Sendable {
    var baseURL: URL
    var token: String?
    var transport: any HTTPTransport
    /// Seconds per request (URLSession counts whole seconds, so this stays an integer ≥ 1).
    var timeout: Int = 30

    init(baseURL: URL, token: String? = nil, transport: any HTTPTransport = URLSessionTransport()) {
        self.baseURL = baseURL
        self.token = token
        self.transport = transport
    }

    /// Sends a request and returns the body of a 2xx answer.
    func send(_ method: String, _ path: String, query: [String: String] = [:], body: Data? = nil,
              authenticated: Bool = true) async throws(DiscoClientError) -> Data {
        var components = URLComponents(url: baseURL.appendingPathComponent("api/v1" + path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        var request = HTTPRequest(method: method, url: components.url!, timeout: Double(max(1, timeout)))
        request.setHeader("Accept", "application/json")
        request.setHeader("User-Agent", "disco-cli/\(DiscoVersion.current)")
        if let body {
            request.body = body
            request.setHeader("Content-Type", "application/json")
        }
        if authenticated, let token { request.setHeader("X-Auth-Token", token) }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch is CancellationError {
            throw .cancelled
        } catch let error as TransportError where error.isTimeout {
            throw .timedOut(baseURL.absoluteString, seconds: max(1, timeout), method: method)
        } catch {
            var detail = String(describing: error)
            if let range = detail.range(of: request.url.absoluteString + ": ") { detail = String(detail[range.upperBound...]) }
            throw .unreachable(baseURL.absoluteString, detail)
        }
        guard (200..<300).contains(response.status) else { throw DiscoClientError.from(response) }
        return response.body
    }

    /// Sends a request and decodes the JSON answer; the raw body is returned alongside.
    func get<T: Decodable>(_ type: T.Type, _ path: String, authenticated: Bool = true) async throws(DiscoClientError) -> (T, Data) {
        let data = try await send("GET", path, authenticated: authenticated)
        return (try Self.decode(type, data), data)
    }

    /// Encodes `body` as JSON, sends it and decodes the answer.
    func post<T: Decodable>(_ type: T.Type, _ path: String, body: some Encodable, query: [String: String] = [:],
                            authenticated: Bool = true) async throws(DiscoClientError) -> (T, Data) {
        let encoded: Data
        do { encoded = try Self.encoder.encode(body) } catch { throw .invalidResponse("could not encode the request: \(error)") }
        let data = try await send("POST", path, query: query, body: encoded, authenticated: authenticated)
        return (try Self.decode(type, data), data)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws(DiscoClientError) -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw .invalidResponse("the server's answer could not be read (\(error)); is --url a DISCO service manager?")
        }
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    // MARK: - The API

    func issueToken(username: String, password: String, project: String, domain: String) async throws(DiscoClientError) -> (TokenView, Data) {
        struct Credentials: Encodable { var username, password, project, domain: String }
        return try await post(TokenView.self, "/tokens",
                              body: Credentials(username: username, password: password, project: project, domain: domain),
                              authenticated: false)
    }

    func components() async throws(DiscoClientError) -> ([ComponentManifest], Data) {
        struct Body: Decodable { var components: [ComponentManifest] }
        let (body, data) = try await get(Body.self, "/components", authenticated: false)
        return (body.components, data)
    }

    /// Every cluster of the project, page after page (the server sends at most 1,000 at a time); the data is the one
    /// page's JSON as sent, or the pages joined into one listing.
    func clusters() async throws(DiscoClientError) -> ([ClusterView], Data) {
        var clusters: [ClusterView] = []
        var pages: [Data] = []
        var marker: String?
        repeat {
            let data = try await send("GET", "/clusters", query: marker.map { ["marker": $0] } ?? [:])
            let page = try Self.decode(ClusterListView.self, data)
            clusters += page.clusters
            pages.append(data)
            // Follow `next` only while it moves on (a server repeating itself must not loop forever).
            guard page.next != nil, let last = page.clusters.last?.id, last != marker else { break }
            marker = last
        } while pages.count < 10_000
        if pages.count == 1 { return (clusters, pages[0]) }
        do {
            return (clusters, try Self.encoder.encode(ClusterListView(clusters: clusters)))
        } catch {
            throw .invalidResponse("could not join the listing's pages: \(error)")
        }
    }

    func cluster(_ id: String) async throws(DiscoClientError) -> (ClusterView, Data) {
        try await get(ClusterView.self, "/clusters/\(Self.escape(id))")
    }

    func create(_ request: SpecRequest) async throws(DiscoClientError) -> (ClusterView, Data) {
        try await post(ClusterView.self, "/clusters", body: request)
    }

    func plan(_ request: SpecRequest, format: String) async throws(DiscoClientError) -> (PlanView, Data) {
        try await post(PlanView.self, "/plan", body: request, query: ["format": format])
    }

    func delete(_ id: String) async throws(DiscoClientError) -> (ClusterView, Data) {
        let data = try await send("DELETE", "/clusters/\(Self.escape(id))")
        return (try Self.decode(ClusterView.self, data), data)
    }

    func act(_ id: String, action: String, workers: Int? = nil) async throws(DiscoClientError) -> (ClusterView, Data) {
        struct Action: Encodable { var action: String; var workers: Int? }
        return try await post(ClusterView.self, "/clusters/\(Self.escape(id))/actions", body: Action(action: action, workers: workers))
    }

    func events(_ id: String) async throws(DiscoClientError) -> ([ClusterEvent], Data) {
        struct Body: Decodable { var events: [ClusterEvent] }
        let (body, data) = try await get(Body.self, "/clusters/\(Self.escape(id))/events")
        return (body.events, data)
    }

    func sshKey(_ id: String) async throws(DiscoClientError) -> String {
        String(decoding: try await send("GET", "/clusters/\(Self.escape(id))/ssh-key"), as: UTF8.self)
    }

    func images() async throws(DiscoClientError) -> ([Image], Data) {
        struct Body: Decodable { var images: [Image] }
        let (body, data) = try await get(Body.self, "/images")
        return (body.images, data)
    }

    func flavors() async throws(DiscoClientError) -> ([Flavor], Data) {
        struct Body: Decodable { var flavors: [Flavor] }
        let (body, data) = try await get(Body.self, "/flavors")
        return (body.flavors, data)
    }

    func networks() async throws(DiscoClientError) -> ([Network], Data) {
        struct Body: Decodable { var networks: [Network] }
        let (body, data) = try await get(Body.self, "/networks")
        return (body.networks, data)
    }

    private static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? segment
    }
}

/// Why a call to the server failed.
enum DiscoClientError: Error, Sendable, CustomStringConvertible {
    /// No HTTP answer: refused, timed out, bad host.
    case unreachable(String, String)
    /// The server took the request but did not answer in time; it may still carry it out.
    case timedOut(String, seconds: Int, method: String)
    /// The server answered with an error status.
    case http(status: Int, message: String, problems: [SpecProblem])
    /// The answer was not what the API promises.
    case invalidResponse(String)
    case cancelled

    var description: String {
        switch self {
        case let .unreachable(url, detail):
            "cannot reach the DISCO service manager at \(url): \(detail); "
                + (detail.localizedCaseInsensitiveContains("certificate") ? Self.trustHint : "start disco-sm or set --url / DISCO_URL")
        case let .timedOut(url, seconds, method):
            "the DISCO service manager at \(url) did not answer within \(seconds) s"
                + (method == "GET" ? "; it may be overloaded or waiting on the cloud: try again shortly"
                                   : "; it may still carry the request out: look with 'disco-cli list' before trying again")
        case let .http(status, message, _):
            status == 401 ? "\(message) (HTTP 401; check OS_* credentials or --token)" : message
        case let .invalidResponse(message): message
        case .cancelled: "cancelled"
        }
    }

    /// URLSession on Linux verifies with libcurl's built-in CA store and reads no SSL_CERT_FILE / CURL_CA_BUNDLE.
    static let trustHint = "disco-cli trusts the system's CA certificates (/etc/ssl/certs; SSL_CERT_FILE is not read): "
        + "add the CA that signed the proxy's certificate with update-ca-certificates"

    var status: Int? {
        if case let .http(status, _, _) = self { return status }
        return nil
    }

    var problems: [SpecProblem] {
        if case let .http(_, _, problems) = self { return problems }
        return []
    }

    /// Reads `{"error": {"status", "message", "problems"}}`, or takes a plain-text body as the message.
    static func from(_ response: HTTPResponse) -> DiscoClientError {
        struct Body: Decodable {
            struct Inner: Decodable {
                var status: Int?
                var message: String
                var problems: [SpecProblem]?
            }
            var error: Inner
        }
        if let body = try? JSONDecoder().decode(Body.self, from: response.body) {
            return .http(status: response.status, message: body.error.message, problems: body.error.problems ?? [])
        }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return .http(status: response.status, message: text.isEmpty ? "the server answered HTTP \(response.status)" : String(text.prefix(2000)),
                     problems: [])
    }
}
