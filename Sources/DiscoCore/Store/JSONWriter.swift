import Foundation

/// Appends JSON to a byte buffer exactly as `JSONEncoder` with `.sortedKeys`, `.withoutEscapingSlashes` and `.iso8601`
/// dates writes it; the store writes its records with it, as `JSONEncoder` is slow at compacting a large store
/// (Benchmarks/README.md).
///
/// Members are written in the order the caller gives, so callers give keys sorted (dictionaries are sorted here).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open container: whether an element was written already (a comma is due before the next one).
    private var needsComma: [Bool] = []

    init(reservingCapacity capacity: Int = 2048) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Containers

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// A member's key; its value is written next.
    mutating func key(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        pendingValueAfterKey = true
    }

    /// Ends a top-level value with a line feed (JSON lines).
    mutating func endLine() {
        precondition(needsComma.isEmpty, "a line ends only after a whole value")
        bytes.append(0x0A)
    }

    // MARK: - Values

    mutating func string(_ value: String) { writeString(value) }

    mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC, fractions of a second dropped (as `JSONEncoder`'s `.iso8601` does).
    mutating func date(_ value: Date) {
        separate()
        let seconds = Int(value.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        bytes.append(UInt8(ascii: "\""))
        appendDigits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3_600, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, 2)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    /// An object of strings, keys sorted.
    mutating func stringDictionary(_ value: [String: String]) {
        beginObject()
        for (name, text) in value.sorted(by: { $0.key < $1.key }) {
            key(name)
            string(text)
        }
        endObject()
    }

    mutating func stringArray(_ value: [String]) {
        beginArray()
        for text in value { string(text) }
        endArray()
    }

    // MARK: - Internals

    /// Set by `key(_:)`: the next value follows the colon without a comma.
    private var pendingValueAfterKey = false

    /// Writes the comma before an element when one is due.
    private mutating func separate() {
        if pendingValueAfterKey {
            pendingValueAfterKey = false
        } else if let comma = needsComma.last, comma {
            bytes.append(UInt8(ascii: ","))
        }
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = true }
    }

    private mutating func writeString(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value` (≥ 0) in `width` decimal digits, zero-padded, written in place.
    private mutating func appendDigits(_ value: Int, _ width: Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
