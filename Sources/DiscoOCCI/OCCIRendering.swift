/// A rendered response (or request): headers to add, the body and the exact `Content-Type`.
///
/// ``headers`` holds only what the rendering itself needs (`Category`, `Link`, `X-OCCI-Attribute`,
/// `X-OCCI-Location`, `Location`, `X-OCCI-Error`); the server adds `Content-Type`
/// (``contentType``), `Server` (``OCCI/serverHeader``) and `Content-Length`.
public struct OCCIRendering: Hashable, Sendable {
    /// The exact `Content-Type` value.
    public var contentType: String
    /// Header fields in order; each OCCI structure is one header with values joined by `, `.
    public var headers: [OCCIHeaderField]
    /// The body text (UTF-8).
    public var body: String

    public init(contentType: String, headers: [OCCIHeaderField] = [], body: String) {
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// The headers as `(name, value)` pairs.
    public var headerPairs: [(String, String)] { headers.map { ($0.name, $0.value) } }

    /// The value of the first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
