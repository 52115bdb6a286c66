public import Foundation

/// An HTTP request as the OpenStack clients send it: a plain value, so tests can build and compare it.
public struct HTTPRequest: Sendable, Hashable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The absolute URL, including the query.
    public var url: URL
    /// Header fields in order; names compare case-insensitively (see ``header(_:)``).
    public var headers: [(name: String, value: String)]
    /// The body; empty when there is none.
    public var body: Data
    /// Seconds before the transport gives up (URLSession rounds this to whole seconds, at least 1).
    public var timeout: Double
    /// For a peer DISCO does not trust (a cluster's status service): the most body bytes to read. When set, the
    /// transport fails the request once the body grows past it, and `timeout` bounds the whole exchange rather
    /// than each wait for bytes, so a peer that drips bytes cannot hold the request either.
    public var maxResponseBytes: Int?

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data = Data(),
                timeout: Double = 60, maxResponseBytes: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Replaces every header `name` by one with `value`.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.timeout == b.timeout
            && a.maxResponseBytes == b.maxResponseBytes
            && a.headers.map { "\($0.name.lowercased()):\($0.value)" } == b.headers.map { "\($0.name.lowercased()):\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(body)
    }
}
