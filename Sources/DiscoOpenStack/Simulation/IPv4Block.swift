import Foundation

/// An IPv4 CIDR with a simple allocator.
struct IPv4Block {
    let base: UInt32
    let prefix: Int

    init?(_ cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (8...30).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        let address = octets.reduce(0) { $0 << 8 | $1 }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        base = address & mask
        self.prefix = prefix
    }

    var size: UInt32 { UInt32(1) << UInt32(32 - prefix) }

    /// The address `offset` hosts after the network address (wrapping within the block, skipping .0/.1/broadcast).
    func address(_ offset: Int) -> String {
        let usable = max(1, Int(size) - 3)
        let host = UInt32(2 + (offset % usable))
        let value = base + host
        return [value >> 24, value >> 16 & 255, value >> 8 & 255, value & 255].map(String.init).joined(separator: ".")
    }

    var gateway: String {
        let value = base + 1
        return [value >> 24, value >> 16 & 255, value >> 8 & 255, value & 255].map(String.init).joined(separator: ".")
    }
}
