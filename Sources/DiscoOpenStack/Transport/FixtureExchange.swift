package import Foundation

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
package struct FixtureExchange: Sendable, Hashable {
    package var method: String
    package var path: String
    package var query: String?
    package var requestHeaders: [String: String]
    package var requestBody: JSONValue?
    package var status: Int
    package var responseHeaders: [(name: String, value: String)]
    package var responseBody: Data
    /// The file it came from, for messages.
    package var source: String

    package static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.path == b.path && a.query == b.query && a.status == b.status && a.source == b.source
    }
    package func hash(into hasher: inout Hasher) { hasher.combine(method); hasher.combine(path); hasher.combine(status) }
}
