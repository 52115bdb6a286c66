/// gzip (RFC 1952) of DEFLATE (RFC 1951) data: LZ77 matches over a 32 KiB window, coded with the fixed Huffman codes.
///
/// Enough for what DISCO packs (shell text, about a third of its size); any gzip reader (`gunzip`, Python's
/// `gzip.decompress`) reads it.
enum Gzip {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.bytes = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]  // magic, deflate, no flags, no mtime, Unix
        bits.write(1, count: 1)  // BFINAL: one block
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        deflate(input, into: &bits)
        bits.writeLiteralOrLength(256)  // end of block
        bits.flush()
        for value in [CRC32.checksum(input), UInt32(truncatingIfNeeded: input.count)] {
            for shift in stride(from: 0, to: 32, by: 8) { bits.bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        return bits.bytes
    }

    private static let window = 32_768
    private static let maxChain = 128
    private static let lengthBases: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
                                             115, 131, 163, 195, 227, 258]
    private static let lengthExtraBits: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBases: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                                               1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtraBits: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
                                                   12, 12, 13, 13]

    /// Greedy LZ77 with hash chains over three-byte prefixes.
    private static func deflate(_ input: [UInt8], into bits: inout BitWriter) {
        let n = input.count
        var head = [Int](repeating: -1, count: 1 << 15)
        var previous = [Int](repeating: -1, count: n)
        func hash(_ p: Int) -> Int { (Int(input[p]) << 10 ^ Int(input[p + 1]) << 5 ^ Int(input[p + 2])) & 0x7fff }
        func insert(_ p: Int) {
            guard p + 2 < n else { return }
            let h = hash(p)
            previous[p] = head[h]
            head[h] = p
        }
        var i = 0
        while i < n {
            var bestLength = 0
            var bestDistance = 0
            if i + 2 < n {
                let longest = min(258, n - i)
                var candidate = head[hash(i)]
                var chain = maxChain
                while candidate >= 0, i - candidate <= window, chain > 0 {
                    var length = 0
                    while length < longest, input[candidate + length] == input[i + length] { length += 1 }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = i - candidate
                        if length == longest { break }
                    }
                    candidate = previous[candidate]
                    chain -= 1
                }
            }
            if bestLength >= 3 {
                let l = lengthBases.lastIndex { $0 <= bestLength }!
                bits.writeLiteralOrLength(257 + l)
                bits.write(UInt32(bestLength - lengthBases[l]), count: lengthExtraBits[l])
                let d = distanceBases.lastIndex { $0 <= bestDistance }!
                bits.writeHuffman(UInt32(d), length: 5)
                bits.write(UInt32(bestDistance - distanceBases[d]), count: distanceExtraBits[d])
                for p in i ..< i + bestLength { insert(p) }
                i += bestLength
            } else {
                bits.writeLiteralOrLength(Int(input[i]))
                insert(i)
                i += 1
            }
        }
    }

    /// Bits packed from the least significant end of each byte; Huffman codes go most significant bit first.
    private struct BitWriter {
        var bytes: [UInt8] = []
        private var buffer: UInt64 = 0
        private var pending = 0

        mutating func write(_ value: UInt32, count: Int) {
            buffer |= UInt64(value) << UInt64(pending)
            pending += count
            while pending >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                pending -= 8
            }
        }

        mutating func writeHuffman(_ code: UInt32, length: Int) {
            var reversed: UInt32 = 0
            for bit in 0 ..< length where code & (1 << UInt32(bit)) != 0 { reversed |= 1 << UInt32(length - 1 - bit) }
            write(reversed, count: length)
        }

        /// The fixed literal/length code of `symbol` (RFC 1951, 3.2.6).
        mutating func writeLiteralOrLength(_ symbol: Int) {
            switch symbol {
            case 0 ... 143: writeHuffman(UInt32(0x30 + symbol), length: 8)
            case 144 ... 255: writeHuffman(UInt32(0x190 + symbol - 144), length: 9)
            case 256 ... 279: writeHuffman(UInt32(symbol - 256), length: 7)
            default: writeHuffman(UInt32(0xc0 + symbol - 280), length: 8)
            }
        }

        mutating func flush() {
            if pending > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
            buffer = 0
            pending = 0
        }
    }
}

/// CRC-32 (ISO 3309, as gzip uses it).
enum CRC32 {
    private static let table: [UInt32] = (0 ..< 256).map { n in
        var c = UInt32(n)
        for _ in 0 ..< 8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xffff_ffff
    }
}
