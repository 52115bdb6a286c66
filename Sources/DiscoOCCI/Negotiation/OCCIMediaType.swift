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

/// An OCCI protocol version such as `1.1`.
public struct OCCIVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }
    /// OCCI 1.1 (GFD.185), the version this codec speaks.
    public static let v1_1 = OCCIVersion(1, 1)
    /// OCCI 1.2 (GFD.223/229/225).
    public static let v1_2 = OCCIVersion(1, 2)
    public static func < (a: OCCIVersion, b: OCCIVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    public var description: String { "\(major).\(minor)" }
}

/// Protocol-level constants.
public enum OCCI {
    /// The DISCO product version used in the `Server` header.
    public static let discoVersion = "2.0"
    /// The OCCI version spoken.
    public static let version = OCCIVersion.v1_1
    /// The value of the `Server` header on every response: `DISCO/2.0 OCCI/1.1`.
    public static let serverHeader = serverHeader(product: "DISCO", version: discoVersion)
    /// `<product>/<version> OCCI/1.1`.
    public static func serverHeader(product: String, version: String) -> String {
        "\(product)/\(version) OCCI/\(OCCI.version)"
    }
}
