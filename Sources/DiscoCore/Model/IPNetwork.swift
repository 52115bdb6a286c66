/// An IPv4 or IPv6 network in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`); a bare address is one host
/// (`/32` or `/128`).
///
/// ```swift
/// let office = try IPNetwork.parse("203.0.113.0/24").get()
/// office.isIPv6  // false
/// ```
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network's address: 4 bytes (IPv4) or 16 (IPv6).
    public var address: [UInt8]
    public var prefixLength: Int
    /// The text it was read from.
    public var description: String

    public var isIPv6: Bool { address.count == 16 }

    /// Why a text is not a network.
    public enum ParseProblem: Error, Sendable, Hashable, CustomStringConvertible {
        case notAnAddress
        case prefixOutOfRange(max: Int)
        /// Bits set after the prefix, with the network meant when that is IPv4.
        case hostBitsSet(network: String?)

        public var description: String {
            switch self {
            case .notAnAddress: "is not an IPv4 or IPv6 address"
            case let .prefixOutOfRange(max): "has a prefix length outside 0…\(max)"
            case let .hostBitsSet(network): "has bits set after its prefix" + (network.map { " (the network is \($0))" } ?? "")
            }
        }
    }

    public static func parse(_ text: String) -> Result<IPNetwork, ParseProblem> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = addressBytes(String(parts[0])) else { return .failure(.notAnAddress) }
        let bits = address.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let value = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].count <= 3, (0...bits).contains(value) else {
                return .failure(.prefixOutOfRange(max: bits))
            }
            prefix = value
        }
        var network = address
        for bit in prefix..<bits { network[bit / 8] &= ~(UInt8(0x80) >> UInt8(bit % 8)) }
        guard network == address else {
            return .failure(.hostBitsSet(network: network.count == 4 ? network.map(String.init).joined(separator: ".") + "/\(prefix)" : nil))
        }
        return .success(IPNetwork(address: address, prefixLength: prefix, description: text))
    }

    /// The bytes of an IPv4 (dotted quad) or IPv6 address (RFC 4291 text, `::` and a trailing dotted quad included).
    package static func addressBytes(_ text: String) -> [UInt8]? {
        if !text.contains(":") { return ipv4Bytes(Substring(text)) }
        let bytes = Array(text.utf8)
        let doubleColons = bytes.indices.dropLast().filter { bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: ":") }
        guard doubleColons.count <= 1 else { return nil }
        let halves = doubleColons.first.map { [String(decoding: bytes[..<$0], as: UTF8.self), String(decoding: bytes[($0 + 2)...], as: UTF8.self)] }
            ?? [text]
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = ipv4Bytes(piece) else { return nil }
                    bytes += v4
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16), piece.allSatisfy(\.isHexDigit) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
                }
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    private static func ipv4Bytes(_ text: Substring) -> [UInt8]? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for piece in pieces {
            guard (1...3).contains(piece.count), piece.allSatisfy(\.isASCII), piece.allSatisfy(\.isNumber),
                  piece.count == 1 || piece.first != "0", let value = UInt8(piece) else { return nil }
            bytes.append(value)
        }
        return bytes
    }
}
