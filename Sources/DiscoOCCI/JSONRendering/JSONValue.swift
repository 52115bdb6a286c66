// A small JSON model, parser and writer, so that output is byte-stable (key order, number format,
// no `\/` escaping) and input parsing has explicit depth and size limits.

/// A JSON value; objects keep key order.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// The last value for `key` in an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last { $0.0 == key }?.1
    }

    var asString: String? { if case .string(let s) = self { s } else { nil } }
    var asArray: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var objectPairs: [(String, JSONValue)]? { if case .object(let o) = self { o } else { nil } }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    // MARK: - Writing

    /// Pretty-printed with two-space indentation, like Python's `json.dumps(indent=2)`.
    func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? OCCINumberFormat.format(n) : "null"
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(into: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                JSONValue.writeString(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 2)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + OCCIQuoting.hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    // MARK: - Parsing

    /// Parses a complete JSON text (RFC 8259), with a nesting limit.
    static func parse(_ bytes: [UInt8], maxDepth: Int, maxStringLength: Int) throws(OCCIParseError) -> JSONValue {
        var p = JSONParser(b: bytes, maxDepth: maxDepth, maxStringLength: maxStringLength)
        p.skipWS()
        let value = try p.value(depth: 0)
        p.skipWS()
        guard p.i == bytes.count else { throw p.fail("unexpected text after the JSON value") }
        return value
    }
}

private struct JSONParser {
    let b: [UInt8]
    let maxDepth: Int
    let maxStringLength: Int
    var i = 0

    init(b: [UInt8], maxDepth: Int, maxStringLength: Int) {
        self.b = b
        self.maxDepth = maxDepth
        self.maxStringLength = maxStringLength
    }

    func fail(_ message: String) -> OCCIParseError {
        var line = 1, lineStart = 0
        var k = 0
        let upto = min(i, b.count)
        while k < upto {
            if b[k] == .lf { line += 1; lineStart = k + 1 }
            k += 1
        }
        let stop = min(b.count, upto + 2 * OCCIParseError.excerptLimit)
        return OCCIParseError(.malformedJSON, message, field: "body", line: line, offset: upto - lineStart,
            excerpt: String(decoding: b[upto..<stop], as: UTF8.self))
    }

    mutating func skipWS() {
        while i < b.count, b[i] == .space || b[i] == .tab || b[i] == .lf || b[i] == .cr { i += 1 }
    }

    mutating func value(depth: Int) throws(OCCIParseError) -> JSONValue {
        guard depth < maxDepth else { throw fail("JSON nested deeper than \(maxDepth) levels") }
        guard i < b.count else { throw fail("unexpected end of JSON") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, JSONValue)] = []
            skipWS()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            while true {
                skipWS()
                guard i < b.count, b[i] == .dquote else { throw fail("expected a string key") }
                let key = try string()
                skipWS()
                guard i < b.count, b[i] == .colon else { throw fail("expected ':'") }
                i += 1
                skipWS()
                pairs.append((key, try value(depth: depth + 1)))
                skipWS()
                guard i < b.count else { throw fail("unexpected end of JSON") }
                if b[i] == .comma { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipWS()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipWS()
                items.append(try value(depth: depth + 1))
                skipWS()
                guard i < b.count else { throw fail("unexpected end of JSON") }
                if b[i] == .comma { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case .dquote:
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return .number(try number())
        }
    }

    mutating func literal(_ word: String) throws(OCCIParseError) {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { throw fail("invalid literal") }
        i += w.count
    }

    mutating func number() throws(OCCIParseError) -> Double {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        guard i > intStart else { throw fail("invalid JSON value") }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let f = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > f else { throw fail("invalid number") }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            let e = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > e else { throw fail("invalid number") }
        }
        guard i - start <= 400, let d = Double(String(decoding: b[start..<i], as: UTF8.self)), d.isFinite else {
            i = start
            throw fail("number out of range")
        }
        return d
    }

    mutating func string() throws(OCCIParseError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == .dquote {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in JSON string") }
            if c == .backslash {
                guard i + 1 < b.count else { break }
                let e = b[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""): out.append(.dquote)
                case UInt8(ascii: "\\"): out.append(.backslash)
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(.lf)
                case UInt8(ascii: "r"): out.append(.cr)
                case UInt8(ascii: "t"): out.append(.tab)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800, code < 0xDC00, i + 1 < b.count, b[i] == .backslash, b[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00, low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    i -= 2
                    throw fail("invalid escape in JSON string")
                }
            } else {
                out.append(c)
                i += 1
            }
            if out.count > maxStringLength {
                i = start
                throw OCCIParseError(.valueTooLong, "JSON string longer than \(maxStringLength) bytes", field: "body")
            }
        }
        i = start
        throw fail("unterminated JSON string")
    }

    mutating func hex4() throws(OCCIParseError) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let h = b[i + k].hexValue else { throw fail("invalid \\u escape") }
            v = v << 4 | h
        }
        i += 4
        return v
    }
}
