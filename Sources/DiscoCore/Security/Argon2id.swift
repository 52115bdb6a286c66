/// Argon2id (RFC 9106, version 0x13): the memory-hard password hash jupyter_server verifies through argon2-cffi.
struct Argon2id: Sendable, Hashable {
    /// Memory in KiB (1 KiB blocks); rounded down to a multiple of 4 × `lanes`, at least 8 × `lanes`.
    var memoryKiB: Int
    var passes: Int
    var lanes: Int
    var tagLength: Int = 32

    private static let version: UInt32 = 0x13
    private static let type: UInt32 = 2
    private static let blockWords = 128
    private static let syncPoints = 4

    /// The tag for `password` and `salt` (and the optional secret key and associated data).
    func hash(password: [UInt8], salt: [UInt8], secret: [UInt8] = [], associatedData: [UInt8] = []) -> [UInt8] {
        precondition(lanes >= 1 && passes >= 1 && tagLength >= 4 && memoryKiB >= 8 * lanes, "Argon2 parameters out of range")
        var h0 = BLAKE2b(outputLength: 64)
        for value in [lanes, tagLength, memoryKiB, passes] { h0.update(UInt32(value)) }
        h0.update(Self.version)
        h0.update(Self.type)
        for field in [password, salt, secret, associatedData] {
            h0.update(UInt32(field.count))
            h0.update(field)
        }
        let seed = h0.finalize()

        let segmentLength = memoryKiB / (Self.syncPoints * lanes)
        let laneLength = segmentLength * Self.syncPoints
        let blocks = laneLength * lanes
        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: blocks * Self.blockWords)
        defer { memory.deallocate() }
        for lane in 0..<lanes {
            for column in 0..<2 {
                let bytes = Self.variableHash(seed + Self.le32(column) + Self.le32(lane), length: 1024)
                Self.load(bytes, into: memory + (lane * laneLength + column) * Self.blockWords)
            }
        }
        let filler = Filler(memory: memory, laneLength: laneLength, segmentLength: segmentLength, lanes: lanes,
                            blocks: blocks, passes: passes)
        defer { filler.deallocate() }
        for pass in 0..<passes {
            for slice in 0..<Self.syncPoints {
                for lane in 0..<lanes { filler.fillSegment(pass: pass, slice: slice, lane: lane) }
            }
        }
        var last = [UInt64](repeating: 0, count: Self.blockWords)
        for lane in 0..<lanes {
            let block = memory + (lane * laneLength + laneLength - 1) * Self.blockWords
            for i in 0..<Self.blockWords { last[i] ^= block[i] }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        for word in last {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Self.variableHash(bytes, length: tagLength)
    }

    /// H' of RFC 9106: BLAKE2b stretched to `length` bytes.
    static func variableHash(_ input: [UInt8], length: Int) -> [UInt8] {
        let prefixed = le32(length) + input
        if length <= 64 { return BLAKE2b.hash(prefixed, outputLength: length) }
        var v = BLAKE2b.hash(prefixed)
        var out = Array(v.prefix(32))
        let r = (length + 31) / 32 - 2
        for _ in 1..<r {
            v = BLAKE2b.hash(v)
            out += v.prefix(32)
        }
        out += BLAKE2b.hash(v, outputLength: length - 32 * r)
        return out
    }

    private static func le32(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: UInt32(value) >> UInt32(8 * $0)) }
    }

    private static func load(_ bytes: [UInt8], into block: UnsafeMutablePointer<UInt64>) {
        for i in 0..<blockWords {
            var word: UInt64 = 0
            for j in 0..<8 { word |= UInt64(bytes[i * 8 + j]) << UInt64(8 * j) }
            block[i] = word
        }
    }

    /// Fills the memory segment by segment (RFC 9106 section 3.4, the reference implementation's indexing).
    private struct Filler {
        let memory: UnsafeMutablePointer<UInt64>
        let laneLength: Int
        let segmentLength: Int
        let lanes: Int
        let blocks: Int
        let passes: Int
        /// Scratch: two blocks for the compression, and the address generator's input, address and zero blocks.
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * 128)

        func deallocate() { scratch.deallocate() }

        func fillSegment(pass: Int, slice: Int, lane: Int) {
            let dataIndependent = pass == 0 && slice < syncPoints / 2
            let input = scratch + 2 * 128, address = scratch + 3 * 128, zero = scratch + 4 * 128
            if dataIndependent {
                for i in 0..<128 { input[i] = 0; zero[i] = 0 }
                input[0] = UInt64(pass); input[1] = UInt64(lane); input[2] = UInt64(slice)
                input[3] = UInt64(blocks); input[4] = UInt64(passes); input[5] = UInt64(Argon2id.type)
            }
            func nextAddresses() {
                input[6] &+= 1
                compress(previous: zero, reference: input, into: address, xor: false)
                compress(previous: zero, reference: address, into: address, xor: false)
            }
            let start = pass == 0 && slice == 0 ? 2 : 0
            if dataIndependent && start != 0 { nextAddresses() }
            var current = lane * laneLength + slice * segmentLength + start
            var previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1
            for index in start..<segmentLength {
                if current % laneLength == 1 { previous = current - 1 }
                let random: UInt64
                if dataIndependent {
                    if index % 128 == 0 { nextAddresses() }
                    random = address[index % 128]
                } else {
                    random = memory[previous * 128]
                }
                let referenceLane = pass == 0 && slice == 0 ? lane : Int((random >> 32) % UInt64(lanes))
                let column = referenceColumn(pass: pass, slice: slice, index: index, random: random & 0xFFFF_FFFF,
                                             sameLane: referenceLane == lane)
                compress(previous: memory + previous * 128, reference: memory + (referenceLane * laneLength + column) * 128,
                         into: memory + current * 128, xor: pass > 0)
                current += 1
                previous += 1
            }
        }

        private var syncPoints: Int { Argon2id.syncPoints }

        /// The column of the reference block: a position in the area it may come from, biased towards recent blocks.
        private func referenceColumn(pass: Int, slice: Int, index: Int, random: UInt64, sameLane: Bool) -> Int {
            let area: Int
            if pass == 0 {
                if slice == 0 { area = index - 1 }
                else { area = slice * segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0)) }
            } else {
                area = laneLength - segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0))
            }
            let size = UInt64(area)
            let relative = size - 1 - ((size * ((random * random) >> 32)) >> 32)
            let startPosition = pass == 0 || slice == syncPoints - 1 ? 0 : (slice + 1) * segmentLength
            return (startPosition + Int(relative)) % laneLength
        }

        /// G of RFC 9106: `next` = P(previous ⊕ reference) ⊕ (previous ⊕ reference), also ⊕ the old `next` with `xor`.
        private func compress(previous: UnsafeMutablePointer<UInt64>, reference: UnsafeMutablePointer<UInt64>,
                              into next: UnsafeMutablePointer<UInt64>, xor: Bool) {
            let r = scratch, t = scratch + 128
            for i in 0..<128 {
                r[i] = previous[i] ^ reference[i]
                t[i] = xor ? r[i] ^ next[i] : r[i]
            }
            for row in 0..<8 {
                let b = 16 * row
                Self.round(r, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
                           b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15)
            }
            for column in 0..<8 {
                let b = 2 * column
                Self.round(r, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49,
                           b + 64, b + 65, b + 80, b + 81, b + 96, b + 97, b + 112, b + 113)
            }
            for i in 0..<128 { next[i] = t[i] ^ r[i] }
        }

        @inline(__always)
        private static func round(_ v: UnsafeMutablePointer<UInt64>, _ i0: Int, _ i1: Int, _ i2: Int, _ i3: Int,
                                  _ i4: Int, _ i5: Int, _ i6: Int, _ i7: Int, _ i8: Int, _ i9: Int, _ i10: Int,
                                  _ i11: Int, _ i12: Int, _ i13: Int, _ i14: Int, _ i15: Int) {
            mix(v, i0, i4, i8, i12); mix(v, i1, i5, i9, i13); mix(v, i2, i6, i10, i14); mix(v, i3, i7, i11, i15)
            mix(v, i0, i5, i10, i15); mix(v, i1, i6, i11, i12); mix(v, i2, i7, i8, i13); mix(v, i3, i4, i9, i14)
        }

        /// BLAKE2b's G with Argon2's multiplications (`fBlaMka`).
        @inline(__always)
        private static func mix(_ v: UnsafeMutablePointer<UInt64>, _ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            func add(_ x: UInt64, _ y: UInt64) -> UInt64 { x &+ y &+ 2 &* (x & 0xFFFF_FFFF) &* (y & 0xFFFF_FFFF) }
            v[a] = add(v[a], v[b]); v[d] = (v[d] ^ v[a]).rotatedRight(32)
            v[c] = add(v[c], v[d]); v[b] = (v[b] ^ v[c]).rotatedRight(24)
            v[a] = add(v[a], v[b]); v[d] = (v[d] ^ v[a]).rotatedRight(16)
            v[c] = add(v[c], v[d]); v[b] = (v[b] ^ v[c]).rotatedRight(63)
        }
    }
}
