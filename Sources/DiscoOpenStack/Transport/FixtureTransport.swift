public import Foundation

/// One recorded request/response pair of a fixture file.
///
/// Fixture files (`Fixtures/openstack/<service>/<scenario>.json`) look like this:
/// ```json
/// {"handwritten": true, "description": "…",
///  "exchanges": [
///    {"include": "identity/password-201.json"},
///    {"request": {"method": "GET", "path": "/v1/p1/stacks/s1/42", "query": "resolve_outputs=true",
///                 "headers": {"X-Auth-Token": "REDACTED"}, "body": {…}},
///     "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {…}}}]}
/// ```
/// A request matches when the method and path are equal, the query (when the fixture gives one) has the same
/// items, every fixture header is present (`REDACTED` or `*` match any value), and the fixture body, when given,
/// is a subset of the sent JSON. `bodyText` holds a non-JSON body.
public struct FixtureExchange: Sendable, Hashable {
    public var method: String
    public var path: String
    public var query: String?
    public var requestHeaders: [String: String]
    public var requestBody: JSONValue?
    public var status: Int
    public var responseHeaders: [(name: String, value: String)]
    public var responseBody: Data
    /// The file it came from, for messages.
    public var source: String

    public static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.path == b.path && a.query == b.query && a.status == b.status && a.source == b.source
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(method); hasher.combine(path); hasher.combine(status) }
}

/// Thrown by ``FixtureTransport`` when a request does not match the next recorded exchange.
public struct FixtureMismatch: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Replays recorded exchanges in order and fails loudly on any unexpected request.
///
/// ```swift
/// let transport = try FixtureTransport("heat/create-201.json")
/// let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: transport)
/// ```
public final class FixtureTransport: HTTPTransport, @unchecked Sendable {
    /// `Fixtures/openstack` of this checkout (found from this source file; Fixtures can't be a SwiftPM resource).
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/openstack")
    /// The auth URL the hand-written fixtures use.
    public static let authURL = URL(string: "http://127.0.0.1:5000/v3")!

    private let lock = NSLock()
    private var exchanges: [FixtureExchange]
    private var position = 0
    /// Whether any fixture loaded was written by hand.
    public let isHandwritten: Bool

    /// Loads and concatenates the named fixture files (relative to `directory`).
    public init(_ names: String..., directory: URL = FixtureTransport.directory) throws {
        var all: [FixtureExchange] = []
        var handwritten = false
        for name in names {
            let (loaded, isHand) = try Self.load(name, directory: directory, depth: 0)
            all += loaded
            handwritten = handwritten || isHand
        }
        exchanges = all
        isHandwritten = handwritten
    }

    /// Replays the given exchanges.
    public init(exchanges: [FixtureExchange]) {
        self.exchanges = exchanges
        isHandwritten = false
    }

    /// Exchanges not yet replayed.
    public var remaining: [FixtureExchange] { lock.withLock { Array(exchanges[position...]) } }
    /// Exchanges replayed so far.
    public var replayedCount: Int { lock.withLock { position } }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let next: FixtureExchange? = lock.withLock { position < exchanges.count ? exchanges[position] : nil }
        let sent = "\(request.method) \(request.url.path)\(request.url.query.map { "?" + $0 } ?? "")"
        guard let next else {
            throw FixtureMismatch(description: "unexpected request \(sent): all \(exchanges.count) recorded exchanges were used")
        }
        if let problem = Self.mismatch(next, request) {
            throw FixtureMismatch(description: "unexpected request \(sent): expected \(next.method) \(next.path)"
                + "\(next.query.map { "?" + $0 } ?? "") from \(next.source) (\(problem))")
        }
        lock.withLock { position += 1 }
        return HTTPResponse(status: next.status, headers: next.responseHeaders, body: next.responseBody)
    }

    static func mismatch(_ exchange: FixtureExchange, _ request: HTTPRequest) -> String? {
        if exchange.method != request.method { return "method differs" }
        if exchange.path != request.url.path && exchange.path != request.url.path.removingPercentEncoding {
            return "path differs"
        }
        if let query = exchange.query {
            let expected = Set(query.split(separator: "&").map(String.init))
            let actual = Set((request.url.query ?? "").split(separator: "&").map(String.init))
            if expected != actual { return "query \(request.url.query ?? "") differs from \(query)" }
        }
        for (name, value) in exchange.requestHeaders {
            guard let actual = request.header(name) else { return "header \(name) missing" }
            if value != "*" && value != "REDACTED" && value != actual { return "header \(name) is \(actual), not \(value)" }
        }
        if let body = exchange.requestBody {
            guard let actual = try? JSONValue.parse(request.body) else { return "body is not JSON" }
            if let path = subsetMismatch(body, actual, path: "body") { return path }
        }
        return nil
    }

    static func subsetMismatch(_ expected: JSONValue, _ actual: JSONValue, path: String) -> String? {
        switch (expected, actual) {
        case let (.object(e), .object(a)):
            for (key, value) in e {
                guard let other = a[key] else { return "\(path).\(key) missing" }
                if let problem = subsetMismatch(value, other, path: "\(path).\(key)") { return problem }
            }
            return nil
        case (.string("REDACTED"), _), (.string("*"), _):
            return nil
        default:
            if expected == actual { return nil }
            if let x = expected.doubleValue, let y = actual.doubleValue, x == y,
               expected.stringValue == nil, actual.stringValue == nil { return nil }
            return "\(path) is \(actual.jsonText.prefix(80)), not \(expected.jsonText.prefix(80))"
        }
    }

    static func load(_ name: String, directory: URL, depth: Int) throws -> ([FixtureExchange], Bool) {
        guard depth < 5 else { throw FixtureMismatch(description: "fixture includes nest too deep at \(name)") }
        let url = directory.appendingPathComponent(name)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FixtureMismatch(description: "cannot read fixture \(url.path): \(error)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch {
            throw FixtureMismatch(description: "fixture \(name) is not JSON: \(error)")
        }
        var handwritten = json["handwritten"]?.boolValue ?? false
        var result: [FixtureExchange] = []
        for (index, item) in (json["exchanges"]?.arrayValue ?? []).enumerated() {
            if let include = item["include"]?.stringValue {
                let (included, isHand) = try load(include, directory: directory, depth: depth + 1)
                result += included
                handwritten = handwritten || isHand
                continue
            }
            guard let request = item["request"], let response = item["response"],
                  let method = request["method"]?.stringValue, let path = request["path"]?.stringValue,
                  let status = response["status"]?.intValue else {
                throw FixtureMismatch(description: "fixture \(name) exchange \(index) lacks request.method/path or response.status")
            }
            let body: Data
            if let text = response["bodyText"]?.stringValue { body = Data(text.utf8) }
            else if let value = response["body"] { body = value.data() }
            else { body = Data() }
            let responseHeaders = (response["headers"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                .map { (name: $0.key, value: $0.value.textValue) }
            result.append(FixtureExchange(
                method: method, path: path, query: request["query"]?.stringValue,
                requestHeaders: (request["headers"]?.objectValue ?? [:]).mapValues(\.textValue),
                requestBody: request["body"], status: status, responseHeaders: responseHeaders, responseBody: body,
                source: "\(name)#\(index)"))
        }
        return (result, handwritten)
    }
}

/// Wraps a transport and records every exchange as a fixture, with secrets redacted.
///
/// Redacted: the `X-Auth-Token` and `X-Subject-Token` headers, and in JSON bodies every `password`, `secret`
/// and `private_key` value and the `id` of `token` objects (v2.0 responses, token auth).
/// ```swift
/// let recorder = RecordingTransport(wrapping: URLSessionTransport())
/// … run the calls …
/// try recorder.write(to: FixtureTransport.directory.appendingPathComponent("heat/create-201.json"),
///                    description: "create against real Heat")
/// ```
public final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var recorded: [JSONValue] = []
    /// Request headers kept in the fixture (others are dropped).
    public var keptRequestHeaders = ["X-Auth-Token", "X-Subject-Token", "Content-Type"]
    /// Response headers kept in the fixture.
    public var keptResponseHeaders = ["X-Subject-Token", "Location", "Content-Type", "Retry-After"]

    public init(wrapping inner: any HTTPTransport) { self.inner = inner }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await inner.send(request)
        let entry = Self.exchange(request, response, keptRequest: keptRequestHeaders, keptResponse: keptResponseHeaders)
        lock.withLock { recorded.append(entry) }
        return response
    }

    /// The fixture document for everything recorded so far.
    public func fixture(description: String) -> JSONValue {
        let exchanges = lock.withLock { recorded }
        return ["handwritten": false, "description": .string(description),
                "recorded": .string(OpenStackDate.heat(Date())), "exchanges": .array(exchanges)]
    }

    /// Writes the fixture file (creating folders).
    public func write(to url: URL, description: String) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fixture(description: description).data(pretty: true).write(to: url)
    }

    static let secretKeys: Set<String> = ["password", "secret", "private_key", "token"]

    /// Redacts secrets in a JSON value: the values of secret keys, Keystone (Fernet) tokens and private keys
    /// anywhere in a string (a Heat wait condition handle's `curl_cli`, a template's user data).
    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(redact(text))
        case .object(let object):
            var result: [String: JSONValue] = [:]
            for (key, child) in object {
                if secretKeys.contains(key), child.stringValue != nil { result[key] = "REDACTED" }
                else if key == "token", case .object(var token) = child, token["id"]?.stringValue != nil {
                    token["id"] = "REDACTED"
                    result[key] = redact(.object(token))
                } else { result[key] = redact(child) }
            }
            return .object(result)
        case .array(let array): return .array(array.map(redact))
        default: return value
        }
    }

    /// Redacts Fernet tokens (`gAAAAA…`) and PEM/OpenSSH private key blocks inside a text.
    public static func redact(_ text: String) -> String {
        var text = text
        if text.contains("PRIVATE KEY-----") {
            text = text.replacingOccurrences(of: #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#,
                                             with: "REDACTED", options: .regularExpression)
        }
        if text.contains("gAAAAA") {
            text = text.replacingOccurrences(of: #"gAAAAA[A-Za-z0-9_=-]{20,}"#, with: "REDACTED", options: .regularExpression)
        }
        return text
    }

    static func exchange(_ request: HTTPRequest, _ response: HTTPResponse, keptRequest: [String], keptResponse: [String])
        -> JSONValue {
        func headers(_ list: [(name: String, value: String)], kept: [String]) -> JSONValue {
            var object: [String: JSONValue] = [:]
            for (name, value) in list where kept.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                let lower = name.lowercased()
                object[name] = lower == "x-auth-token" || lower == "x-subject-token" ? "REDACTED" : .string(redact(value))
            }
            return .object(object)
        }
        var req: [String: JSONValue] = ["method": .string(request.method), "path": .string(redact(request.url.path)),
                                        "headers": headers(request.headers, kept: keptRequest)]
        if let query = request.url.query { req["query"] = .string(query) }
        if !request.body.isEmpty { req["body"] = (try? JSONValue.parse(request.body)).map(redact) ?? "REDACTED" }
        var res: [String: JSONValue] = ["status": .int(response.status),
                                        "headers": headers(response.headers, kept: keptResponse)]
        if !response.body.isEmpty {
            if let json = try? JSONValue.parse(response.body) { res["body"] = redact(json) }
            else { res["bodyText"] = .string(redact(response.text)) }
        }
        return ["request": .object(req), "response": .object(res)]
    }
}
