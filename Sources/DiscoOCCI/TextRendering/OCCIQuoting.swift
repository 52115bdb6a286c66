/// Quoting rules shared by the text renderings.
///
/// Output: strings are rendered as RFC 7230 quoted-strings with `"` and `\` escaped by a
/// backslash. Characters that would break a header or a body line are escaped too: LF as `\n`,
/// CR as `\r`, TAB as `\t`, and other control characters as `\uXXXX`. Input reverses exactly
/// these; any other `\x` means `x` (RFC quoted-pair).
enum OCCIQuoting {
    /// `"…"` with escapes.
    static func quote(_ s: String) -> String {
        // Byte-wise: every character escaped is ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte scalar.
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F: out += Array(("\\u" + hex4(UInt32(byte))).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(v >> 12 & 0xF)], digits[Int(v >> 8 & 0xF)], digits[Int(v >> 4 & 0xF)], digits[Int(v & 0xF)]])
    }

    /// Percent-encodes the characters that cannot appear unquoted in a URI-reference list:
    /// space, controls, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`, `,`, `%` not followed by two hex digits,
    /// and non-ASCII bytes.
    static func uriSafe(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var needs = false
        for b in bytes where !isURIByte(b) { needs = true; break }
        if !needs && !bytes.contains(UInt8(ascii: "%")) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "%") {
                if i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) {
                    out.append(b)
                } else {
                    out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                }
            } else if isURIByte(b) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    static func isURIByte(_ b: UInt8) -> Bool {
        guard b > 0x20, b < 0x7F else { return false }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"),
            UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"),
            UInt8(ascii: "}"), UInt8(ascii: ","):
            return false
        default: return true
        }
    }
}
