/// A rendering the codec can produce: the outcome of content negotiation.
///
/// A closed set (the codec implements exactly these), so an enum rather than an open struct.
public enum OCCIMediaType: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// `text/plain`: OCCI structures as body lines. The default (no `Accept`, `*/*`, `text/*`).
    case textPlain
    /// `text/occi+plain` (GFD.229): rendered like ``textPlain``.
    case textOCCIPlain
    /// `text/occi`: OCCI structures in response headers, body `OK`.
    case textOCCI
    /// `text/uri-list`: locations only, for listings (collections).
    case uriList
    /// `application/occi+json` in the shape pyssf emitted (what hurtle and the DISCO dashboard parse).
    case json
    /// `application/occi+json; version=1.2`: the OCCI 1.2 JSON rendering (GFD.225). Only chosen
    /// when the client asks for it explicitly with the `version=1.2` parameter.
    case json12

    /// The exact `Content-Type` value for responses.
    public var contentType: String {
        switch self {
        case .textPlain: "text/plain"
        case .textOCCIPlain: "text/occi+plain"
        case .textOCCI: "text/occi"
        case .uriList: "text/uri-list"
        case .json: "application/occi+json"
        case .json12: "application/occi+json; version=1.2"
        }
    }

    /// True for the JSON renderings.
    public var isJSON: Bool { self == .json || self == .json12 }

    public var description: String { contentType }
}
