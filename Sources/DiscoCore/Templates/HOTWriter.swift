/// Deterministic JSON and YAML writers for ``HOTValue``.
public enum HOTWriter {
    /// JSON text; object keys keep their order.
    public static func json(_ value: HOTValue, pretty: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(4096)
        writeJSON(value, into: &out, indent: pretty ? 0 : nil)
        if pretty { out += "\n" }
        return out
    }

    private static func writeJSON(_ value: HOTValue, into out: inout String, indent: Int?) {
        switch value {
        case let .string(s): appendJSONString(s, to: &out)
        case let .int(i): out += String(i)
        case let .bool(b): out += b ? "true" : "false"
        case let .list(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                writeJSON(item, into: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out += "]"
        case let .object(pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (n, (key, item)) in pairs.enumerated() {
                if n > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                appendJSONString(key, to: &out)
                out += indent == nil ? ":" : ": "
                writeJSON(item, into: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    /// Appends `s` as a JSON string literal.
    public static func appendJSONString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Block-style YAML; multi-line strings become literal blocks (`|`), other strings are quoted when needed.
    public static func yaml(_ value: HOTValue) -> String {
        var out = ""
        out.reserveCapacity(4096)
        switch value {
        case .object, .list: writeYAMLBlock(value, into: &out, indent: 0)
        default: out += yamlScalar(value) + "\n"
        }
        return out
    }

    private static func writeYAMLBlock(_ value: HOTValue, into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case let .object(pairs):
            for (key, item) in pairs {
                out += pad + yamlKey(key) + ":"
                writeYAMLChild(item, into: &out, indent: indent)
            }
        case let .list(items):
            for item in items {
                out += pad + "-"
                switch item {
                case let .object(pairs) where !pairs.isEmpty:
                    // First key on the dash line, the rest aligned under it.
                    var first = true
                    for (key, child) in pairs {
                        out += (first ? " " : pad + "  ") + yamlKey(key) + ":"
                        writeYAMLChild(child, into: &out, indent: indent + 1)
                        first = false
                    }
                default:
                    writeYAMLChild(item, into: &out, indent: indent)
                }
            }
        default:
            out += pad + yamlScalar(value) + "\n"
        }
    }

    private static func writeYAMLChild(_ item: HOTValue, into out: inout String, indent: Int) {
        switch item {
        case let .object(pairs) where !pairs.isEmpty:
            out += "\n"
            writeYAMLBlock(item, into: &out, indent: indent + 1)
        case let .list(items) where !items.isEmpty:
            out += "\n"
            writeYAMLBlock(item, into: &out, indent: indent + 1)
        case let .string(s) where s.contains("\n") && isLiteralBlockSafe(s):
            let pad = String(repeating: "  ", count: indent + 1)
            out += s.hasSuffix("\n") ? " |\n" : " |-\n"
            var body = Substring(s)
            if body.hasSuffix("\n") { body = body.dropLast() }
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                out += line.isEmpty ? "\n" : pad + line + "\n"
            }
        default:
            out += " " + yamlScalar(item) + "\n"
        }
    }

    /// A literal block keeps text verbatim, except trailing blank lines, leading-space first lines, tabs and CRs.
    private static func isLiteralBlockSafe(_ s: String) -> Bool {
        !s.hasSuffix("\n\n") && !s.hasPrefix(" ") && !s.hasPrefix("\n") && !s.contains("\r") && !s.contains("\t")
            && s.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" }
    }

    private static func yamlKey(_ key: String) -> String {
        needsQuotes(key) ? jsonQuoted(key) : key
    }

    private static func yamlScalar(_ value: HOTValue) -> String {
        switch value {
        case let .string(s): needsQuotes(s) ? jsonQuoted(s) : s
        case let .int(i): String(i)
        case let .bool(b): b ? "true" : "false"
        case .list: "[]"
        case .object: "{}"
        }
    }

    private static func jsonQuoted(_ s: String) -> String {
        var out = ""
        appendJSONString(s, to: &out)
        return out
    }

    private static let reservedWords: Set<String> = [
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
        "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]

    /// Whether a plain scalar would be read back as something else (a number, bool, null, flow syntax…).
    private static func needsQuotes(_ s: String) -> Bool {
        if reservedWords.contains(s) { return true }
        if Double(s) != nil || s.hasPrefix("0x") || s.hasPrefix("0o") || s.hasPrefix(".") { return true }
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if " -?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) || last == " " || last == ":" { return true }
        if s.contains(": ") || s.contains(" #") || s.contains("\n") { return true }
        // Dates and times are typed by YAML 1.1 loaders.
        if s.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" || $0 == ":" || $0 == "_" || $0 == "+" || $0 == "." }) {
            return true
        }
        return s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || $0.value >= 0x80 && $0.properties.isWhitespace }
    }
}
