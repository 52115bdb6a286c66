import Foundation

extension HTTPRequest {
    static func json(_ method: String, _ url: URL, body: JSONValue? = nil, token: String? = nil,
                     timeout: Double) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("X-Auth-Token", token)) }
        headers.append(("User-Agent", "disco/1 (DiscoOpenStack)"))
        return HTTPRequest(method: method, url: url, headers: headers, body: body?.data() ?? Data(), timeout: timeout)
    }
}

extension URL {
    /// Appends a path (which may hold a query) to this URL.
    func appending(rawPath: String) -> URL {
        var base = absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let suffix = rawPath.hasPrefix("/") ? rawPath : "/" + rawPath
        return URL(string: base + suffix) ?? self
    }
}

/// Percent-encodes a path segment or query value.
func escape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
