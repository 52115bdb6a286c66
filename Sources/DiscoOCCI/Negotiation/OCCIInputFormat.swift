/// How to read the OCCI structures of a request, decided from its `Content-Type`.
public enum OCCIInputFormat: Hashable, Sendable {
    /// `text/occi`: read the `Category`, `Link`, `X-OCCI-Attribute` and `X-OCCI-Location` headers.
    case headers
    /// `text/plain` or `text/occi+plain`: read the body lines (and the headers only if the body has no OCCI lines).
    case body
    /// No `Content-Type` (or form-urlencoded, as curl sends by default): read the headers, and also the
    /// body if it looks like text/plain OCCI.
    case headersAndBody
    /// `text/uri-list`: the body lists locations.
    case uriList
    /// `application/occi+json` (pyssf or GFD.225 shape, detected) or `application/json`.
    case json
}
