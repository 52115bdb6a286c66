import DiscoCore

/// The addresses of reverse proxies (`[service_manager] trusted_proxies`) whose `Forwarded` / `X-Forwarded-Proto` /
/// `X-Forwarded-Host` headers say how a client reached DISCO. Anyone else's such headers change nothing.
package struct TrustedProxies: Sendable, Equatable {
    /// The addresses as bytes (4 for IPv4, 16 for IPv6), so `::1` and `0:0::1` are one.
    private var addresses: Set<[UInt8]> = []

    package init() {}

    /// Parses `text`: IPv4 or IPv6 addresses separated by commas or spaces (no networks: name each proxy).
    /// - Throws: the first item that is not an address.
    package init(parsing text: String) throws(ParseError) {
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }) where !item.isEmpty {
            guard let bytes = Self.bytes(of: String(item)) else { throw ParseError(item: String(item)) }
            addresses.insert(bytes)
        }
    }

    /// An item of `trusted_proxies` that is not an IP address.
    package struct ParseError: Error, Sendable {
        package var item: String
    }

    package var isEmpty: Bool { addresses.isEmpty }

    /// Whether `peer` (`127.0.0.1`, `[::1]`, `::1`) is one of the proxies.
    package func contains(_ peer: String) -> Bool {
        guard !addresses.isEmpty else { return false }
        let bare = peer.hasPrefix("[") && peer.hasSuffix("]") ? String(peer.dropFirst().dropLast()) : peer
        return Self.bytes(of: bare).map(addresses.contains) ?? false
    }

    private static func bytes(of address: String) -> [UInt8]? { IPNetwork.addressBytes(address) }
}
