/// Joins and strips the server's base URL (`scheme://host[:port]`) on locations.
enum OCCIURL {
    /// The base URL without trailing `/`.
    static func normalize(baseURL: String) -> String {
        var s = baseURL
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// True when `s` starts with a URI scheme such as `http:`.
    static func isAbsolute(_ s: String) -> Bool {
        guard let colon = s.utf8.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = s.utf8[..<colon]
        guard let first = scheme.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A else { return false }
        return scheme.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// `base + path` for a relative path; absolute URLs are returned unchanged.
    static func absolute(_ path: String, baseURL: String) -> String {
        if isAbsolute(path) || baseURL.isEmpty { return path }
        return path.hasPrefix("/") ? baseURL + path : baseURL + "/" + path
    }

    /// Strips `baseURL` from an absolute URL on this server; anything else is returned unchanged.
    static func relativize(_ s: String, baseURL: String?) -> String {
        guard let baseURL, !baseURL.isEmpty, s.hasPrefix(baseURL) else { return s }
        let rest = s.dropFirst(baseURL.count)
        if rest.isEmpty { return "/" }
        if rest.first == "/" || rest.first == "?" { return String(rest) }
        return s
    }
}
