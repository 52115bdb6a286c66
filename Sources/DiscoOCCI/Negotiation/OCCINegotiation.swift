/// Content negotiation, `Content-Type` handling and the `User-Agent` version check (GFD.185 §3.6.5–3.6.6).
public enum OCCINegotiation {
    /// Picks the response rendering for an `Accept` header.
    ///
    /// Honours q-values, `*/*`, `text/*`, `application/*` and media-type parameters (ignored except
    /// `q` and, for `application/occi+json`, `version`). No `Accept`, or `*/*`, gives `text/plain`.
    /// Among equal q-values the alternative listed first by the client wins, then the server's order
    /// (text/plain, text/occi, application/occi+json, text/uri-list, text/occi+plain).
    /// ``OCCIMediaType/json12`` is chosen only for `application/occi+json; version=1.2`.
    ///
    /// - Parameters:
    ///   - accept: The `Accept` header value (repeated headers joined with `, `), or `nil`.
    ///   - isListing: Whether the response is a listing (collection); only listings can be `text/uri-list`.
    /// - Throws: ``OCCIParseError/Code/unsupportedAccept`` (406) when nothing acceptable can be produced;
    ///   ``OCCIParseError/Code/uriListNotApplicable`` (400) when only `text/uri-list` was acceptable
    ///   for a non-listing (GFD.185 §3.6.6).
    public static func negotiate(accept: String?, isListing: Bool = false) throws(OCCIParseError) -> OCCIMediaType {
        guard let accept, accept.contains(where: { !$0.isWhitespace && $0 != "," }) else { return .textPlain }
        guard accept.utf8.count <= 8192 else {
            throw OCCIParseError(.unsupportedAccept, "Accept header too long", field: "Accept", excerpt: accept)
        }
        let ranges = parseMediaRanges(accept)
        let order: [OCCIMediaType] = [.textPlain, .textOCCI, .json, .uriList, .textOCCIPlain, .json12]
        var best: (type: OCCIMediaType, q: Double, position: Int, rank: Int)?
        var uriListWanted = false
        for (rank, candidate) in order.enumerated() {
            var match: (specificity: Int, q: Double, position: Int)?
            for (position, range) in ranges.enumerated() {
                guard let specificity = range.specificity(for: candidate) else { continue }
                if match == nil || specificity > match!.specificity {
                    match = (specificity, range.q, position)
                }
            }
            guard let match, match.q > 0 else { continue }
            if candidate == .uriList && !isListing {
                uriListWanted = true
                continue
            }
            if let b = best {
                if match.q > b.q || (match.q == b.q && match.position < b.position) {
                    best = (candidate, match.q, match.position, rank)
                }
            } else {
                best = (candidate, match.q, match.position, rank)
            }
        }
        if let best { return best.type }
        if uriListWanted {
            throw OCCIParseError(.uriListNotApplicable, "text/uri-list is only available for collections",
                field: "Accept", excerpt: accept)
        }
        throw OCCIParseError(.unsupportedAccept,
            "none of the accepted media types is supported (text/plain, text/occi, text/uri-list, application/occi+json)",
            field: "Accept", excerpt: accept)
    }

    /// Decides how to read a request from its `Content-Type` (parameters such as `charset` are ignored).
    ///
    /// No `Content-Type` gives ``OCCIInputFormat/headersAndBody``.
    /// - Throws: ``OCCIParseError/Code/unsupportedContentType`` (406, per the wire profile) for anything else.
    public static func inputFormat(contentType: String?) throws(OCCIParseError) -> OCCIInputFormat {
        guard let contentType else { return .headersAndBody }
        let essence = mediaTypeEssence(contentType)
        switch essence {
        case "": return .headersAndBody
        case "text/occi": return .headers
        case "text/plain", "text/occi+plain": return .body
        case "text/uri-list": return .uriList
        case "application/occi+json", "application/json": return .json
        case "application/x-www-form-urlencoded": return .headersAndBody
        default:
            throw OCCIParseError(.unsupportedContentType,
                "unsupported Content-Type (use text/occi, text/plain, text/uri-list or application/occi+json)",
                field: "Content-Type", excerpt: contentType)
        }
    }

    /// Checks the `OCCI/x.y` tokens of a `User-Agent`.
    ///
    /// - Returns: the highest announced version the server supports, or `nil` when the `User-Agent`
    ///   names no OCCI version (which is fine).
    /// - Throws: ``OCCIParseError/Code/unsupportedVersion`` (501) when every announced version is
    ///   higher than `supported`.
    @discardableResult
    public static func checkUserAgent(_ userAgent: String?, supported: OCCIVersion = OCCI.version) throws(OCCIParseError) -> OCCIVersion? {
        guard let userAgent else { return nil }
        let b = Array(userAgent.utf8.prefix(8192))
        var found: [OCCIVersion] = []
        var i = 0
        while i + 5 <= b.count {
            if OCCIField.asciiCaseInsensitiveEqual(b[i..<(i + 5)], "occi/".utf8) {
                var j = i + 5
                let (major, a) = digits(b, &j)
                if a > 0, j < b.count, b[j] == UInt8(ascii: ".") {
                    j += 1
                    let (minor, c) = digits(b, &j)
                    if c > 0 { found.append(OCCIVersion(major, minor)) }
                }
                i = j
            } else {
                i += 1
            }
        }
        guard !found.isEmpty else { return nil }
        if let ok = found.filter({ $0 <= supported }).max() { return ok }
        throw OCCIParseError(.unsupportedVersion,
            "OCCI/\(found.min()!) is not implemented; this server speaks OCCI/\(supported)",
            field: "User-Agent", excerpt: userAgent)
    }

    private static func digits(_ b: [UInt8], _ j: inout Int) -> (Int, Int) {
        var value = 0, count = 0
        while j < b.count, b[j] >= 0x30, b[j] <= 0x39 {
            if count < 6 { value = value * 10 + Int(b[j] - 0x30) }
            count += 1
            j += 1
        }
        return (value, count)
    }

    /// `type/subtype` lower-cased, without parameters and whitespace.
    static func mediaTypeEssence(_ value: String) -> String {
        let head = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return head.trimmingOCCIWhitespace().lowercased()
    }

    struct MediaRange {
        var type: String
        var subtype: String
        var parameters: [String: String]
        var q: Double

        /// How specifically this range matches a rendering, or `nil` when it does not match.
        func specificity(for media: OCCIMediaType) -> Int? {
            let (t, s) = media.typeAndSubtype
            if media == .json12 {
                guard type == "application", subtype == "occi+json", parameters["version"] == "1.2" else { return nil }
                return 3
            }
            if type == "*" && subtype == "*" { return 0 }
            guard type == t else { return nil }
            if subtype == "*" { return 1 }
            guard subtype == s else { return nil }
            if media == .json, let v = parameters["version"], v != "1.1", v != "1" { return nil }
            return 2
        }
    }

    /// Parses `type/subtype;param=value;q=0.5, …`, skipping malformed entries.
    static func parseMediaRanges(_ accept: String) -> [MediaRange] {
        let bytes = Array(accept.utf8)
        guard let items = try? OCCITextParser.split(bytes, 0..<bytes.count, angleBrackets: false, code: .malformedAttribute)
        else {
            // Unbalanced quotes: fall back to a naive split.
            return accept.split(separator: ",").compactMap { parseMediaRange(String($0)) }
        }
        return items.compactMap { parseMediaRange(String(decoding: bytes[$0], as: UTF8.self)) }
    }

    static func parseMediaRange(_ text: String) -> MediaRange? {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        var essence = parts[0].trimmingOCCIWhitespace().lowercased()
        if essence == "*" { essence = "*/*" }
        let ts = essence.split(separator: "/", omittingEmptySubsequences: false)
        guard ts.count == 2, !ts[0].isEmpty, !ts[1].isEmpty, !(ts[0] == "*" && ts[1] != "*") else { return nil }
        var range = MediaRange(type: String(ts[0]), subtype: String(ts[1]), parameters: [:], q: 1)
        for p in parts.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let key = kv[0].trimmingOCCIWhitespace().lowercased()
            var value = kv[1].trimmingOCCIWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if key == "q" {
                if let q = Double(value), q.isFinite { range.q = min(max(q, 0), 1) }
            } else {
                range.parameters[key] = value.lowercased()
            }
        }
        return range
    }
}

extension OCCIMediaType {
    var typeAndSubtype: (String, String) {
        switch self {
        case .textPlain: ("text", "plain")
        case .textOCCIPlain: ("text", "occi+plain")
        case .textOCCI: ("text", "occi")
        case .uriList: ("text", "uri-list")
        case .json, .json12: ("application", "occi+json")
        }
    }
}

extension StringProtocol {
    func trimmingOCCIWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
