package import Foundation

/// Thrown by ``FixtureTransport`` when a request does not match the next recorded exchange.
package struct FixtureMismatch: Error, Sendable, CustomStringConvertible {
    package var description: String
}

/// Replays recorded exchanges in order and fails loudly on any unexpected request.
///
/// ```swift
/// let transport = try FixtureTransport("heat/create-201.json")
/// let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: transport)
/// ```
package final class FixtureTransport: HTTPTransport, @unchecked Sendable {
    /// `Fixtures/openstack` of this checkout (found from this source file; Fixtures can't be a SwiftPM resource).
    package static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/openstack")
    /// The auth URL the hand-written fixtures use.
    package static let authURL = URL(string: "http://127.0.0.1:5000/v3")!

    private let lock = NSLock()
    private var exchanges: [FixtureExchange]
    private var position = 0
    /// Whether any fixture loaded was written by hand.
    package let isHandwritten: Bool

    /// Loads and concatenates the named fixture files (relative to `directory`).
    package init(_ names: String..., directory: URL = FixtureTransport.directory) throws {
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
    package init(exchanges: [FixtureExchange]) {
        self.exchanges = exchanges
        isHandwritten = false
    }

    /// Exchanges not yet replayed.
    package var remaining: [FixtureExchange] { lock.withLock { Array(exchanges[position...]) } }
    /// Exchanges replayed so far.
    package var replayedCount: Int { lock.withLock { position } }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
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
