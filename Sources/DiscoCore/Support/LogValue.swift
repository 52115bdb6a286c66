/// A value bound for a log line (a field or the message): redacted, and with its control characters escaped, so that
/// text a client chose (a path, a method, an error quoting input) can neither start a line of its own, nor drive a
/// terminal, nor carry a secret into the log. ``Logger`` passes every value through ``clean(_:)``.
package enum LogValue {
    /// `text` through ``Redaction`` and ``escapingControls(_:)``.
    package static func clean(_ text: String) -> String { escapingControls(Redaction.redact(text)) }

    /// `text` with control characters (line breaks, escape, NUL, DEL, C1 and Unicode line separators) written as
    /// `\n`, `\r`, `\t` or `\u{…}`.
    package static func escapingControls(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
