/// Reads the YAML that configuration files such as `clouds.yaml` use, and refuses the rest with a clear error.
///
/// Read: block mappings and block sequences nested by indentation (spaces), a list as a key's value at the key's own
/// indentation, `- key: value` items, plain, single-quoted (`''`) and double-quoted scalars (YAML's escapes), flow
/// `[a, b]` and `{a: b}` on one line (nested too), `#` comments, blank lines, `---` before the document and `...` after
/// it. Refused: anchors, aliases, tags, block (`|`, `>`) and multi-line scalars, complex keys, directives, several
/// documents, tabs in indentation, duplicate keys, control characters, nesting deeper than ``maxDepth``.
/// Scalars stay text (`3`, `true`); plain `~`, `null` and nothing are ``YAMLNode/Value/null``.
/// Errors name the line, the column where it helps and the key path, and never quote a value.
package struct YAMLReader {
    /// How deep mappings, lists and flow collections may nest.
    package static let maxDepth = 64

    /// One significant line; `start` is where its content begins (moved past `- ` for an item's content).
    private struct Line {
        var number: Int
        var chars: [Unicode.Scalar]
        var start: Int
        var indent: Int { start }
    }

    private let file: String
    private var lines: [Line] = []
    private var index = 0

    /// Reads one document; an empty one (comments only) is ``YAMLNode/Value/null``.
    /// - Parameter file: the name errors and nodes carry.
    package static func read(_ text: String, file: String) throws(YAMLError) -> YAMLNode {
        var reader = YAMLReader(file: file)
        try reader.split(text)
        guard !reader.lines.isEmpty else { return YAMLNode(.null, file: file, line: 1, column: 1) }
        let root = try reader.block(parentIndent: -1, path: "", depth: 0)
        if reader.index < reader.lines.count {
            let line = reader.lines[reader.index]
            throw reader.error(line, line.start, "", "indented to column \(line.start + 1), which matches no key or list item above")
        }
        return root
    }

    private init(file: String) { self.file = file }

    // MARK: Lines

    private mutating func split(_ text: String) throws(YAMLError) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var raw: [[Unicode.Scalar]] = [[]]
        var offset = 0
        while offset < scalars.count {
            let c = scalars[offset]
            if c == "\n" || c == "\r" {
                if c == "\r", offset + 1 < scalars.count, scalars[offset + 1] == "\n" { offset += 1 }
                raw.append([])
            } else {
                raw[raw.count - 1].append(c)
            }
            offset += 1
        }
        var started = false, ended = false
        for (offset, chars) in raw.enumerated() {
            let line = Line(number: offset + 1, chars: chars, start: chars.prefix { $0 == " " }.count)
            if let bad = chars.firstIndex(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
                throw error(line, bad, "", "a control character (U+\(hex(chars[bad].value))) is not allowed")
            }
            guard let first = chars.firstIndex(where: { $0 != " " && $0 != "\t" }), chars[first] != "#" else { continue }
            if first != line.start {
                throw error(line, line.start, "", "a tab in the indentation; indent with spaces")
            }
            if ended { throw error(line, line.start, "", "content after the end of the document ('...')") }
            if line.start == 0, let marker = Self.marker(chars) {
                guard marker == "---" else { ended = true; continue }
                if started || !lines.isEmpty { throw error(line, 0, "", "a second document ('---') is not supported; keep one document per file") }
                started = true
                if Self.hasContent(chars, after: 3) { throw error(line, 4, "", "content on the '---' line is not supported; start it on the next line") }
                continue
            }
            if line.start == 0, chars[0] == "%" { throw error(line, 0, "", "directives ('%') are not supported") }
            started = true
            lines.append(line)
        }
    }

    /// `---` or `...` at a line's start, followed by a space, a tab or nothing.
    private static func marker(_ chars: [Unicode.Scalar]) -> String? {
        guard chars.count >= 3 else { return nil }
        let three = String(String.UnicodeScalarView(chars[0..<3]))
        guard three == "---" || three == "..." else { return nil }
        return chars.count == 3 || isBlank(chars[3]) ? three : nil
    }

    /// Whether anything but blanks and a comment follows `offset`.
    private static func hasContent(_ chars: [Unicode.Scalar], after offset: Int) -> Bool {
        guard let next = chars[offset...].firstIndex(where: { !isBlank($0) }) else { return false }
        return !(chars[next] == "#" && isBlank(chars[next - 1]))
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func error(_ line: Line, _ offset: Int, _ path: String, _ message: String) -> YAMLError {
        YAMLError(file: file, line: line.number, column: offset + 1, path: path, message: message)
    }

    private func isItem(_ line: Line) -> Bool {
        line.chars[line.start] == "-" && (line.start + 1 == line.chars.count || Self.isBlank(line.chars[line.start + 1]))
    }

    private static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    // MARK: Blocks

    /// The value starting at the current line, which is indented more than `parentIndent`.
    private mutating func block(parentIndent: Int, path: String, depth: Int) throws(YAMLError) -> YAMLNode {
        let line = lines[index]
        guard depth <= Self.maxDepth else { throw error(line, line.start, path, "nested deeper than \(Self.maxDepth) levels") }
        if isItem(line) { return try sequence(indent: line.indent, path: path, depth: depth, isKeyValue: false) }
        if try key(line, path: path) != nil { return try mapping(indent: line.indent, path: path, depth: depth) }
        let node = try inline(line, line.start, path: path, depth: depth)
        index += 1
        try refuseContinuation(after: line, deeperThan: parentIndent, path: path)
        return node
    }

    /// A value given on its line ends there: a further line indented more would continue it.
    private func refuseContinuation(after line: Line, deeperThan indent: Int, path: String) throws(YAMLError) {
        guard index < lines.count, lines[index].indent > indent else { return }
        throw error(lines[index], lines[index].start, path, "continues the value of line \(line.number), but multi-line values are "
                    + "not supported: put the value on one line (quoted if needed), or indent a key or item as its siblings are")
    }

    private mutating func mapping(indent: Int, path: String, depth: Int) throws(YAMLError) -> YAMLNode {
        let first = lines[index]
        var entries: [YAMLEntry] = []
        var seen: [String: Int] = [:]
        while index < lines.count {
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent {
                throw error(line, line.start, path, "indented to column \(line.start + 1), but the keys here start at column \(indent + 1)")
            }
            if isItem(line) { throw error(line, line.start, path, "a list item where a key was expected (the keys here are a mapping)") }
            guard let (key, after) = try self.key(line, path: path) else {
                throw error(line, line.start, path, "expected 'key: value' like the keys above")
            }
            if let previous = seen[key] { throw error(line, line.start, path, "duplicate key '\(key)' (first on line \(previous))") }
            seen[key] = line.number
            let childPath = Self.child(path, key)
            let value: YAMLNode
            if let start = line.chars[after...].firstIndex(where: { !Self.isBlank($0) }), line.chars[start] != "#" {
                value = try inline(line, start, path: childPath, depth: depth + 1)
                index += 1
                try refuseContinuation(after: line, deeperThan: indent, path: childPath)
            } else {
                index += 1
                if index < lines.count, lines[index].indent > indent {
                    value = try block(parentIndent: indent, path: childPath, depth: depth + 1)
                } else if index < lines.count, lines[index].indent == indent, isItem(lines[index]) {
                    value = try sequence(indent: indent, path: childPath, depth: depth + 1, isKeyValue: true)
                } else {
                    value = YAMLNode(.null, file: file, line: line.number, column: after + 1)
                }
            }
            entries.append(YAMLEntry(key: key, value: value))
        }
        return YAMLNode(.mapping(entries), file: file, line: first.number, column: first.start + 1)
    }

    /// `isKeyValue`: the list is a key's value at the key's indentation, so a key at that indentation ends it.
    private mutating func sequence(indent: Int, path: String, depth: Int, isKeyValue: Bool) throws(YAMLError) -> YAMLNode {
        let first = lines[index]
        var items: [YAMLNode] = []
        while index < lines.count, lines[index].indent == indent {
            let line = lines[index]
            guard isItem(line) else {
                if isKeyValue { break }
                throw error(line, line.start, path, "expected a list item ('- ') like the ones above")
            }
            let itemPath = path + "[\(items.count)]"
            if let start = line.chars[(line.start + 1)...].firstIndex(where: { !Self.isBlank($0) }), line.chars[start] != "#" {
                lines[index].start = start
                items.append(try block(parentIndent: indent, path: itemPath, depth: depth + 1))
            } else {
                index += 1
                if index < lines.count, lines[index].indent > indent {
                    items.append(try block(parentIndent: indent, path: itemPath, depth: depth + 1))
                } else {
                    items.append(YAMLNode(.null, file: file, line: line.number, column: line.start + 2))
                }
            }
        }
        return YAMLNode(.sequence(items), file: file, line: first.number, column: first.start + 1)
    }

    /// The key of a `key: value` line and where its value starts, or nil when the line is not one.
    private func key(_ line: Line, path: String) throws(YAMLError) -> (String, Int)? {
        let chars = line.chars, start = line.start
        var end: Int
        let key: String
        switch chars[start] {
        case "\"", "'":
            (key, end) = try quoted(line, start, path: path)
            while end < chars.count, Self.isBlank(chars[end]) { end += 1 }
            guard end < chars.count, chars[end] == ":", end + 1 == chars.count || Self.isBlank(chars[end + 1]) else { return nil }
        case "?" where start + 1 == chars.count || Self.isBlank(chars[start + 1]):
            throw error(line, start, path, "complex keys ('? ') are not supported")
        case "[", "{", "&", "*", "!", "|", ">", "%", "@", "`":
            return nil
        default:
            end = start
            while end < chars.count {
                if chars[end] == "#", end > start, Self.isBlank(chars[end - 1]) { return nil }
                if chars[end] == ":", end + 1 == chars.count || Self.isBlank(chars[end + 1]) { break }
                end += 1
            }
            guard end < chars.count else { return nil }
            key = Self.trimmed(chars[start..<end])
            if key.isEmpty { throw error(line, start, path, "a key is missing before ':'") }
        }
        return (key, end + 1)
    }

    private static func trimmed(_ chars: ArraySlice<Unicode.Scalar>) -> String {
        var slice = chars
        while let last = slice.last, isBlank(last) { slice.removeLast() }
        while let first = slice.first, isBlank(first) { slice.removeFirst() }
        return String(String.UnicodeScalarView(slice))
    }

    // MARK: Values on one line

    /// The value from `start` to the line's end (or its comment).
    private func inline(_ line: Line, _ start: Int, path: String, depth: Int) throws(YAMLError) -> YAMLNode {
        let chars = line.chars
        let node: YAMLNode, end: Int
        switch chars[start] {
        case "[", "{":
            (node, end) = try flow(line, start, path: path, depth: depth)
        case "\"", "'":
            let text: String
            (text, end) = try quoted(line, start, path: path)
            node = YAMLNode(.scalar(text), file: file, line: line.number, column: start + 1)
        default:
            try refuseIndicator(line, start, path: path, inFlow: false)
            var stop = start
            while stop < chars.count, !(chars[stop] == "#" && stop > start && Self.isBlank(chars[stop - 1])) {
                if chars[stop] == ":", stop + 1 == chars.count || Self.isBlank(chars[stop + 1]) {
                    throw error(line, stop, path, "a 'key: value' cannot follow on the same line; put it on the next line, indented")
                }
                stop += 1
            }
            return plain(Self.trimmed(chars[start..<stop]), line, start)
        }
        var rest = end
        while rest < chars.count, Self.isBlank(chars[rest]) { rest += 1 }
        if rest < chars.count, !(chars[rest] == "#" && rest > end) {
            throw error(line, rest, path, "unexpected text after the value's end (a comment needs a space before '#')")
        }
        return node
    }

    private func plain(_ text: String, _ line: Line, _ start: Int) -> YAMLNode {
        let value: YAMLNode.Value = ["~", "null", "Null", "NULL"].contains(text) ? .null : .scalar(text)
        return YAMLNode(value, file: file, line: line.number, column: start + 1)
    }

    private func refuseIndicator(_ line: Line, _ at: Int, path: String, inFlow: Bool) throws(YAMLError) {
        let chars = line.chars
        let blankAfter = at + 1 == chars.count || Self.isBlank(chars[at + 1])
        let message: String
        switch chars[at] {
        case "&": message = "anchors ('&') are not supported; write the value out"
        case "*": message = "aliases ('*') are not supported; write the value out"
        case "!": message = "tags ('!') are not supported"
        case "|", ">": message = "block scalars ('|', '>') are not supported; put the value on one line, quoted if needed"
        case "%", "@", "`": message = "a plain value cannot start with '\(chars[at])'; quote it"
        case "?" where blankAfter: message = "complex keys ('? ') are not supported"
        case "-" where blankAfter: message = inFlow ? "a block list item ('- ') inside a flow collection" :
            "a list cannot start on the line of its key; put '- ' items on the next lines"
        case "]", "}", ",": message = inFlow ? "a value is missing" : "a plain value cannot start with '\(chars[at])'; quote it"
        default: return
        }
        throw error(line, at, path, message)
    }

    /// A quoted scalar starting at `start`; returns its text and the offset after the closing quote.
    private func quoted(_ line: Line, _ start: Int, path: String) throws(YAMLError) -> (String, Int) {
        let chars = line.chars, quote = chars[start]
        var text = String.UnicodeScalarView()
        var at = start + 1
        while at < chars.count {
            let c = chars[at]
            if c == quote {
                if quote == "'", at + 1 < chars.count, chars[at + 1] == "'" { text.append("'"); at += 2; continue }
                return (String(text), at + 1)
            }
            if quote == "\"", c == "\\" {
                at += 1
                guard at < chars.count else { break }
                text.append(try escape(line, &at, path: path))
                continue
            }
            text.append(c)
            at += 1
        }
        let kind = quote == "'" ? "single" : "double"
        throw error(line, start, path, "the \(kind)-quoted value does not end on its line (multi-line values are not supported)")
    }

    /// The escape after a `\` at `at - 1`; moves `at` past it.
    private func escape(_ line: Line, _ at: inout Int, path: String) throws(YAMLError) -> Unicode.Scalar {
        let chars = line.chars, backslash = at - 1
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\0", "a": "\u{07}", "b": "\u{08}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{0B}", "f": "\u{0C}",
            "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
            "L": "\u{2028}", "P": "\u{2029}",
        ]
        if let scalar = simple[chars[at]] { at += 1; return scalar }
        let digits: Int
        switch chars[at] {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default:
            throw error(line, backslash, path, "an unknown escape; accepted: \\\\ \\\" \\/ \\0 \\a \\b \\t \\n \\v \\f \\r \\e \\N \\_ \\L \\P "
                        + "\\xHH \\uHHHH \\UHHHHHHHH, and '\\' before a space or tab")
        }
        var value: UInt32 = 0
        for offset in 1...digits {
            guard at + offset < chars.count, chars[at + offset].isASCII, let digit = UInt32(String(chars[at + offset]), radix: 16) else {
                throw error(line, backslash, path, "\\\(chars[at]) needs \(digits) hexadecimal digits")
            }
            value = value << 4 | digit
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error(line, backslash, path, "the escape names no Unicode character (a surrogate or beyond U+10FFFF)")
        }
        at += digits + 1
        return scalar
    }

    // MARK: Flow collections

    /// `[…]` or `{…}` starting at `start`, closed on the same line; returns the node and the offset after it.
    private func flow(_ line: Line, _ start: Int, path: String, depth: Int) throws(YAMLError) -> (YAMLNode, Int) {
        guard depth <= Self.maxDepth else { throw error(line, start, path, "nested deeper than \(Self.maxDepth) levels") }
        let chars = line.chars
        let isList = chars[start] == "["
        let close: Unicode.Scalar = isList ? "]" : "}"
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        var at = start + 1
        func skipBlanks() { while at < chars.count, Self.isBlank(chars[at]) { at += 1 } }
        while true {
            skipBlanks()
            guard at < chars.count, !(chars[at] == "#" && Self.isBlank(chars[at - 1])) else {
                throw error(line, start, path, "the '\(chars[start])' does not close on its line (multi-line flow collections are not supported)")
            }
            if chars[at] == close { break }
            if isList {
                let item: YAMLNode
                (item, at) = try flowValue(line, at, path: path + "[\(items.count)]", depth: depth + 1)
                skipBlanks()
                if at < chars.count, chars[at] == ":" {
                    throw error(line, at, path, "a 'key: value' inside [ ] is not supported; use { } for a mapping")
                }
                items.append(item)
            } else {
                let keyNode: YAMLNode
                (keyNode, at) = try flowValue(line, at, path: path, depth: depth + 1, isKey: true)
                guard let key = keyNode.text ?? (keyNode.value == .null ? "" : nil), !key.isEmpty else {
                    throw error(line, keyNode.column - 1, path, "a key must be a non-empty text")
                }
                if entries.contains(where: { $0.key == key }) { throw error(line, keyNode.column - 1, path, "duplicate key '\(key)'") }
                skipBlanks()
                var value = YAMLNode(.null, file: file, line: line.number, column: at + 1)
                if at < chars.count, chars[at] == ":" {
                    at += 1
                    skipBlanks()
                    if at < chars.count, chars[at] != ",", chars[at] != close {
                        (value, at) = try flowValue(line, at, path: Self.child(path, key), depth: depth + 1)
                    }
                }
                entries.append(YAMLEntry(key: key, value: value))
            }
            skipBlanks()
            guard at < chars.count else { continue }
            if chars[at] == "," { at += 1; continue }
            if chars[at] == close { break }
            throw error(line, at, path, "expected ',' or '\(close)'")
        }
        let node = YAMLNode(isList ? .sequence(items) : .mapping(entries), file: file, line: line.number, column: start + 1)
        return (node, at + 1)
    }

    /// One value inside a flow collection; a key (`isKey`) ends at a `:` too.
    private func flowValue(_ line: Line, _ start: Int, path: String, depth: Int, isKey: Bool = false) throws(YAMLError) -> (YAMLNode, Int) {
        let chars = line.chars
        switch chars[start] {
        case "[", "{":
            if isKey { throw error(line, start, path, "a key must be a text, not a list or mapping") }
            return try flow(line, start, path: path, depth: depth)
        case "\"", "'":
            let (text, end) = try quoted(line, start, path: path)
            return (YAMLNode(.scalar(text), file: file, line: line.number, column: start + 1), end)
        case ":" where isKey:
            throw error(line, start, path, "a key is missing before ':'")
        default:
            try refuseIndicator(line, start, path: path, inFlow: true)
            var end = start
            while end < chars.count {
                let c = chars[end]
                if c == "," || c == "[" || c == "]" || c == "{" || c == "}" { break }
                if c == "#", end > start, Self.isBlank(chars[end - 1]) { break }
                if c == ":", end + 1 == chars.count || [" ", "\t", ",", "]", "}"].contains(chars[end + 1]) { break }
                end += 1
            }
            if end == start { throw error(line, start, path, "a value is missing") }
            return (plain(Self.trimmed(chars[start..<end]), line, start), end)
        }
    }
}
