import DiscoCore

/// The `Host` names a request may carry (`[service_manager] allowed_hosts`), against DNS rebinding: a web page whose
/// name an attacker re-points at 127.0.0.1 reaches a loopback listener from the victim's browser, but its requests
/// still carry the attacker's name in `Host`.
///
/// A server listening on a loopback address answers only requests for a loopback name (`localhost`, `127.x.y.z`,
/// `[::1]`, with or without a port) and the listed names; one listening elsewhere is restricted the same way only when
/// names are listed. `*` lifts the restriction. A request without `Host` (HTTP/1.0) passes: browsers always send one.
package struct HostAllowList: Sendable, Equatable {
    /// Lowercased names and addresses (IPv6 without brackets), no ports, no trailing dot.
    package private(set) var names: Set<String> = []
    /// `*` was listed: any `Host` passes.
    package private(set) var allowsAny = false

    package init() {}

    /// Parses `text`: host names or IP addresses (no ports) separated by commas or spaces, or `*`.
    /// - Throws: the first item that is neither.
    package init(parsing text: String) throws(ParseError) {
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }) where !item.isEmpty {
            if item == "*" {
                allowsAny = true
                continue
            }
            let bare = item.hasPrefix("[") && item.hasSuffix("]") ? item.dropFirst().dropLast() : item[...]
            guard let name = Self.normalized(bare) else { throw ParseError(item: String(item)) }
            names.insert(name)
        }
    }

    /// An item of `allowed_hosts` that is not a host name or an address.
    package struct ParseError: Error, Sendable {
        package var item: String
    }

    /// Whether a server bound to `listenHost` checks `Host` at all.
    package func restricts(listeningOn listenHost: String) -> Bool {
        !allowsAny && (!names.isEmpty || Self.isLoopback(listenHost))
    }

    /// Whether `header` (a `Host` value: `name`, `name:port`, `[v6]`, `[v6]:port`) names a loopback address or a
    /// listed name.
    package func allows(_ header: String) -> Bool {
        if allowsAny { return true }
        guard let host = Self.hostPart(of: header) else { return false }
        return Self.isLoopback(host) || names.contains(host)
    }

    /// Whether `host` (a name or an address, IPv6 without brackets) is `localhost` or a loopback address.
    package static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "localhost." { return true }
        let bare = name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
        guard let bytes = IPNetwork.addressBytes(bare) else { return false }
        if bytes.count == 4 { return bytes[0] == 127 }
        // ::1, and ::ffff:127.x.y.z (an IPv4 loopback address mapped).
        if bytes.dropLast().allSatisfy({ $0 == 0 }) && bytes.last == 1 { return true }
        return bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
    }

    /// The host of a `Host` value, lowercased, without port, brackets or trailing dot; `nil` when malformed.
    static func hostPart(of header: String) -> String? {
        var text = Substring(header)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || Self.isPort(rest) else { return nil }
            let inner = text[text.index(after: text.startIndex)..<close]
            return IPNetwork.addressBytes(String(inner)) == nil ? nil : inner.lowercased()
        }
        if let colon = text.firstIndex(of: ":") {
            guard Self.isPort(text[colon...]) else { return nil }
            text = text[..<colon]
        }
        return normalized(text)
    }

    /// `:` and one to five digits.
    private static func isPort(_ text: Substring) -> Bool {
        text.first == ":" && (2...6).contains(text.count) && text.dropFirst().allSatisfy(\.isASCIIDigit)
    }

    /// A host name (letters, digits, `-`, `.`, `_`) or an address, lowercased, without a trailing dot.
    private static func normalized(_ text: Substring) -> String? {
        if text.contains(":") { return IPNetwork.addressBytes(String(text)) == nil ? nil : text.lowercased() }
        let name = text.hasSuffix(".") ? text.dropLast() : text
        guard !name.isEmpty, name.count <= 253,
              name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f })
        else { return nil }
        return name.lowercased()
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
