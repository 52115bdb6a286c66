/// A rejected OCCI input: what was wrong, and where.
///
/// The error set is closed, so parsing APIs use typed throws: `throws(OCCIParseError)`.
/// ``description`` is a human-readable one-line message suitable for an error response body;
/// ``httpStatus`` is the single mapping from an error to an HTTP status code.
///
/// ```swift
/// do { body = try parser.parseRequest(headers: h, body: b, contentType: ct) }
/// catch { return respond(status: error.httpStatus, OCCIRenderer.renderError(error)) }
/// ```
public struct OCCIParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem was found.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// A `Category` value could not be parsed (bad term, missing `scheme`, bad parameter).
        case malformedCategory
        /// A `Link` value could not be parsed.
        case malformedLink
        /// An `X-OCCI-Attribute` value could not be parsed (no `=`, bad name, text after a quoted value).
        case malformedAttribute
        /// An `X-OCCI-Location` value or uri-list line could not be parsed.
        case malformedLocation
        /// A quoted string, `<…>` or `{…}` was not closed.
        case unterminatedQuote
        /// A JSON body could not be parsed or had an unexpected shape.
        case malformedJSON
        /// More attributes (or categories, links, locations) than the parser's limits allow.
        case tooManyItems
        /// A single value longer than the parser's limit.
        case valueTooLong
        /// The whole input is larger than the parser's limit.
        case inputTooLarge
        /// No `Accept` alternative can be produced (406).
        case unsupportedAccept
        /// The `Content-Type` is not an OCCI rendering (406, per the wire profile).
        case unsupportedContentType
        /// `text/uri-list` was the only acceptable type for a response that is not a listing (400).
        case uriListNotApplicable
        /// The `User-Agent` announces only OCCI versions higher than the server's (501).
        case unsupportedVersion
        /// A Category is not registered with the server (400, as pyssf does).
        case unknownCategory
        /// The request lacks a required structure (e.g. a create without a Kind, an action without its Category).
        case missingCategory
        /// The `?action=` value does not match the action Category's term, or the query is malformed.
        case actionMismatch
    }

    /// What kind of problem was found.
    public var code: Code
    /// A short human-readable explanation, e.g. `unterminated quoted string`.
    public var message: String
    /// The header or body field where the problem is, e.g. `X-OCCI-Attribute`, `Accept`, `body`.
    public var field: String?
    /// The 1-based line number, for text/plain and uri-list bodies and JSON.
    public var line: Int?
    /// The 0-based UTF-8 byte offset within the header value or line.
    public var offset: Int?
    /// The offending text, shortened to at most ``excerptLimit`` characters.
    public var excerpt: String?

    /// The maximum length of ``excerpt``.
    public static let excerptLimit = 60

    public init(
        _ code: Code, _ message: String, field: String? = nil, line: Int? = nil,
        offset: Int? = nil, excerpt: String? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.line = line
        self.offset = offset
        self.excerpt = excerpt.map(Self.shorten)
    }

    /// The HTTP status for this error, per the wire profile (occi-spec §6/§11):
    /// 400 for malformed input and unknown categories, 406 for unsupported `Accept` or
    /// `Content-Type`, 413 for an oversized input, 501 for a higher OCCI version.
    public var httpStatus: Int {
        switch code {
        case .malformedCategory, .malformedLink, .malformedAttribute, .malformedLocation,
            .unterminatedQuote, .malformedJSON, .tooManyItems, .valueTooLong,
            .uriListNotApplicable, .unknownCategory, .missingCategory, .actionMismatch:
            400
        case .inputTooLarge: 413
        case .unsupportedAccept, .unsupportedContentType: 406
        case .unsupportedVersion: 501
        }
    }

    /// `Category (line 2, offset 14): missing scheme near "compute; class=kind"`.
    public var description: String {
        var text = ""
        if let field { text += field }
        var position: [String] = []
        if let line { position.append("line \(line)") }
        if let offset { position.append("offset \(offset)") }
        if !position.isEmpty { text += (text.isEmpty ? "" : " ") + "(" + position.joined(separator: ", ") + ")" }
        text += (text.isEmpty ? "" : ": ") + message
        if let excerpt { text += " near \"" + excerpt + "\"" }
        return text
    }

    /// Shortens text to ``excerptLimit`` characters, replacing control characters by `?`.
    static func shorten(_ text: String) -> String {
        var out = ""
        var count = 0
        for ch in text.unicodeScalars {
            if count == excerptLimit { out += "…"; break }
            out.unicodeScalars.append(ch.value < 0x20 || ch.value == 0x7F ? "?" : ch)
            count += 1
        }
        return out
    }

    /// Returns a copy with the location context filled in where still missing.
    func located(field: String? = nil, line: Int? = nil, offsetShift: Int = 0) -> OCCIParseError {
        var copy = self
        if copy.field == nil { copy.field = field }
        if copy.line == nil { copy.line = line }
        if let o = copy.offset { copy.offset = o - offsetShift }
        return copy
    }
}
