import Foundation

/// A strict, allocation-light JSON pull reader over UTF-8 bytes.
///
/// The store reads its own records with it at start: Foundation's `JSONDecoder` spends most of its time in the generic
/// `Codable` machinery (Benchmarks/README.md). Whatever this reader does not understand throws a
/// ``JSONReader/Failure`` and the caller falls back to `JSONDecoder`, which gives the user-facing error.
/// ``JSONInput`` uses it to place what `JSONDecoder` refused, and DiscoOpenStack's `JSONValue` to parse payloads.
///
/// ```swift
/// try reader.beginObject()
/// while let key = try reader.nextKey() {
///     switch key {
///     case "name": name = try reader.readString()
///     default: try reader.skipValue()
///     }
/// }
/// ```
///
/// The buffer must outlive the reader (use it inside `withUnsafeBytes`).
package struct JSONReader {
    /// Where and why reading stopped.
    package struct Failure: Error, CustomStringConvertible {
        package var offset: Int
        package var message: String
        package var description: String { "byte \(offset): \(message)" }
    }

    private let bytes: UnsafeRawBufferPointer
    package private(set) var offset = 0
    /// Per open container: whether an element was read already (a comma is due before the next one).
    private var needsComma: [Bool] = []

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: - Containers

    package mutating func beginObject() throws(Failure) {
        try expect(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// The next member's key, or `nil` after the object's closing brace (which is consumed).
    package mutating func nextKey() throws(Failure) -> String? {
        guard try nextElement(closing: UInt8(ascii: "}")) else { return nil }
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    package mutating func beginArray() throws(Failure) {
        try expect(UInt8(ascii: "["))
        needsComma.append(false)
    }

    /// Whether another array element follows; `false` after the closing bracket (which is consumed).
    package mutating func nextElement() throws(Failure) -> Bool {
        try nextElement(closing: UInt8(ascii: "]"))
    }

    private mutating func nextElement(closing: UInt8) throws(Failure) -> Bool {
        guard let comma = needsComma.last else { throw failure("no open container") }
        skipWhitespace()
        if peek() == closing {
            offset += 1
            needsComma.removeLast()
            return false
        }
        if comma {
            guard peek() == UInt8(ascii: ",") else {
                throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
            offset += 1
        }
        needsComma[needsComma.count - 1] = true
        return true
    }

    /// Checks that nothing but whitespace follows the value.
    package mutating func end() throws(Failure) {
        skipWhitespace()
        guard offset == bytes.count, needsComma.isEmpty else { throw failure("unexpected bytes after the value") }
    }

    // MARK: - Values

    /// Consumes a `null` if one is next; the reader stays put otherwise.
    package mutating func readNull() -> Bool {
        skipWhitespace()
        guard matches("null") else { return false }
        offset += 4
        return true
    }

    package mutating func readBool() throws(Failure) -> Bool {
        skipWhitespace()
        if matches("true") { offset += 4; return true }
        if matches("false") { offset += 5; return false }
        throw failure("expected true or false")
    }

    /// An integer without fraction or exponent that fits `Int`.
    package mutating func readInt() throws(Failure) -> Int {
        skipWhitespace()
        let negative = peek() == UInt8(ascii: "-")
        if negative { offset += 1 }
        let start = offset
        var value = 0
        while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
            let digit = Int(bytes[offset] - UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw failure("integer out of range") }
            value = sum
            offset += 1
        }
        guard offset > start else { throw failure("expected an integer") }
        guard offset - start == 1 || bytes[start] != UInt8(ascii: "0") else { throw failure("leading zero") }
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw failure("expected an integer, found a fraction or exponent")
        }
        return value
    }

    package mutating func readString() throws(Failure) -> String {
        skipWhitespace()
        try expect(UInt8(ascii: "\""), skippingWhitespace: false)
        let start = offset
        // Fast path: no escapes.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let utf8 = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                guard Self.isValidUTF8(utf8) else { throw failure("invalid UTF-8 in a string") }
                let text = String(decoding: utf8, as: UTF8.self)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in a string") }
            offset += 1
        }
        var utf8 = Array(bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard utf8.withUnsafeBytes(Self.isValidUTF8) else { throw failure("invalid UTF-8 in a string") }
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape(into: &utf8)
            case ..<0x20:
                throw failure("control character in a string")
            default:
                utf8.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    /// A date as `JSONEncoder`'s `.iso8601` writes it: `YYYY-MM-DDTHH:MM:SSZ`.
    mutating func readDate() throws(Failure) -> Date {
        skipWhitespace()
        guard offset + 22 <= bytes.count, bytes[offset] == UInt8(ascii: "\""), bytes[offset + 21] == UInt8(ascii: "\""),
              bytes[offset + 20] == UInt8(ascii: "Z"), bytes[offset + 5] == UInt8(ascii: "-"),
              bytes[offset + 8] == UInt8(ascii: "-"), bytes[offset + 11] == UInt8(ascii: "T"),
              bytes[offset + 14] == UInt8(ascii: ":"), bytes[offset + 17] == UInt8(ascii: ":") else {
            throw failure("expected a date like \"2026-01-01T00:00:00Z\"")
        }
        func number(_ at: Int, _ width: Int) throws(Failure) -> Int {
            var value = 0
            for index in (offset + at)..<(offset + at + width) {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw failure("expected a digit in a date") }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let year = try number(1, 4), month = try number(6, 2), day = try number(9, 2)
        let hour = try number(12, 2), minute = try number(15, 2), second = try number(18, 2)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw failure("date out of range")
        }
        offset += 22
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// The deepest nesting the readers built on this one follow (Foundation's own limit): no recursion without end.
    package static let maximumDepth = 512

    /// The `Int` Foundation's `JSONDecoder` makes of a number's text (from ``readNumberText()``): `2.0` and `2.5e3`
    /// included, nothing with a fraction or past `Int`'s range.
    package static func integer(fromNumberText text: String) -> Int? {
        if let value = Int(text) { return value }
        guard let value = Double(text), value.rounded() == value, abs(value) < 0x1p63 else { return nil }
        return Int(value)
    }

    /// The kinds of JSON value.
    package enum ValueKind { case object, array, string, bool, null, number }

    /// What kind of value comes next, judged by its first byte (after whitespace); `nil` if no value can start there.
    package mutating func nextValueKind() -> ValueKind? {
        skipWhitespace()
        guard let byte = peek() else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// A number's text, checked against JSON's grammar (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
    package mutating func readNumberText() throws(Failure) -> String {
        skipWhitespace()
        let start = offset
        func digits(_ reader: inout JSONReader) -> Int {
            let first = reader.offset
            while let byte = reader.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { reader.offset += 1 }
            return reader.offset - first
        }
        if peek() == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw failure("expected a digit") }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            offset = integerStart + 1
            throw failure("a number cannot have a leading zero")
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard digits(&self) > 0 else { throw failure("expected a digit after the decimal point") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard digits(&self) > 0 else { throw failure("expected a digit in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Skips one value of any kind.
    package mutating func skipValue() throws(Failure) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try readBool()
        case UInt8(ascii: "n"):
            guard readNull() else { throw failure("expected null") }
        default:
            // A number: sign, digits, fraction, exponent.
            let start = offset
            while offset < bytes.count, let byte = Optional(bytes[offset]),
                  (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                    || byte == UInt8(ascii: "E") {
                offset += 1
            }
            guard offset > start else { throw failure("expected a value") }
        }
    }

    /// A value read by `read`, or `memo`'s value when the value's bytes are the same as last time (then nothing is
    /// parsed and the copy is shared: clusters of one make-up repeat the same component and UI-link lists).
    mutating func readReusing<T>(_ memo: inout (bytes: [UInt8], value: T)?,
                                 _ read: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> T {
        skipWhitespace()
        let start = offset
        try skipValue()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
        if let memo, memo.bytes.count == raw.count,
           memo.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }) {
            return memo.value
        }
        let end = offset
        offset = start
        let value = try read(&self)
        guard offset == end else { throw failure("value read to a different end than skipped") }
        memo = (Array(raw), value)
        return value
    }

    // MARK: - Internals

    /// Skips a string without building it (escapes are only stepped over; `readString` checks them).
    private mutating func skipString() throws(Failure) {
        try expect(UInt8(ascii: "\""), skippingWhitespace: false)
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""): offset += 1; return
            case UInt8(ascii: "\\"):
                guard offset + 1 < bytes.count else { throw failure("unterminated escape") }
                offset += 2
            case ..<0x20: throw failure("control character in a string")
            default: offset += 1
            }
        }
        throw failure("unterminated string")
    }

    package func failure(_ message: String) -> Failure { Failure(offset: offset, message: message) }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func matches(_ word: StaticString) -> Bool {
        guard offset + word.utf8CodeUnitCount <= bytes.count else { return false }
        return memcmp(bytes.baseAddress! + offset, word.utf8Start, word.utf8CodeUnitCount) == 0
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, skippingWhitespace: Bool = true) throws(Failure) {
        if skippingWhitespace { skipWhitespace() }
        guard peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        offset += 1
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws(Failure) {
        guard let byte = peek() else { throw failure("unterminated escape") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard matches("\\u") else { throw failure("unpaired surrogate") }
                offset += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("unpaired surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
            utf8.append(contentsOf: UTF8.encode(unicode)!)
        default:
            offset -= 2  // at the backslash
            throw failure("unknown escape '\\\(Character(Unicode.Scalar(byte)))' (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)")
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("bad hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// Whether `bytes` are well-formed UTF-8 (shortest forms, no surrogates, ≤ U+10FFFF).
    ///
    /// Hand-written: the standard library's generic `String(validating:as:)` costs more than the rest of reading.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int, minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC0..<0xE0: (length, minimum, scalar) = (2, 0x80, UInt32(lead & 0x1F))
            case 0xE0..<0xF0: (length, minimum, scalar) = (3, 0x800, UInt32(lead & 0x0F))
            case 0xF0..<0xF8: (length, minimum, scalar) = (4, 0x10000, UInt32(lead & 0x07))
            default: return false
            }
            guard index + length <= bytes.count else { return false }
            for next in (index + 1)..<(index + length) {
                let byte = bytes[next]
                guard byte & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(byte & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800..<0xE000).contains(scalar) else { return false }
            index += length
        }
        return true
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
