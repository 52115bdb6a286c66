package import Foundation

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
package final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var recorded: [JSONValue] = []
    /// Request headers kept in the fixture (others are dropped).
    package var keptRequestHeaders = ["X-Auth-Token", "X-Subject-Token", "Content-Type"]
    /// Response headers kept in the fixture.
    package var keptResponseHeaders = ["X-Subject-Token", "Location", "Content-Type", "Retry-After"]

    package init(wrapping inner: any HTTPTransport) { self.inner = inner }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await inner.send(request)
        let entry = Self.exchange(request, response, keptRequest: keptRequestHeaders, keptResponse: keptResponseHeaders)
        lock.withLock { recorded.append(entry) }
        return response
    }

    /// The fixture document for everything recorded so far.
    package func fixture(description: String) -> JSONValue {
        let exchanges = lock.withLock { recorded }
        return ["handwritten": false, "description": .string(description),
                "recorded": .string(OpenStackDate.heat(Date())), "exchanges": .array(exchanges)]
    }

    /// Writes the fixture file (creating folders).
    package func write(to url: URL, description: String) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fixture(description: description).data(pretty: true).write(to: url)
    }

    static let secretKeys: Set<String> = ["password", "secret", "private_key", "token"]

    /// Redacts secrets in a JSON value: the values of secret keys, Keystone (Fernet) tokens and private keys
    /// anywhere in a string (a Heat wait condition handle's `curl_cli`, a template's user data).
    package static func redact(_ value: JSONValue) -> JSONValue {
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
    package static func redact(_ text: String) -> String {
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
