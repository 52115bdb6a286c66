// libFuzzer harness for the YAML reader (Sources/DiscoCore/Support/YAML/), compiled together with it by Fuzz/run.sh.
//
// Besides crashes, hangs and deep recursion: an error names a line and column inside the text; every node's line is
// inside it; whatever reads, written back out (block style, every scalar double-quoted), reads to the same tree.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func yamlFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    YAMLFuzz.run(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

enum YAMLFuzz {
    static func run(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        // Line lengths in scalars; CR LF, LF and CR each end a line (Characters would join "\r\n" into one).
        var lines = [0]
        var offset = 0
        while offset < scalars.count {
            let c = scalars[offset]
            if c == "\r", offset + 1 < scalars.count, scalars[offset + 1] == "\n" { offset += 1 }
            if c == "\r" || c == "\n" { lines.append(0) } else { lines[lines.count - 1] += 1 }
            offset += 1
        }
        let node: YAMLNode
        do {
            node = try YAMLReader.read(text, file: "fuzz.yaml")
        } catch {
            precondition(!error.description.isEmpty && error.file == "fuzz.yaml")
            precondition((1...lines.count).contains(error.line), "error on line \(error.line) of \(lines.count): \(error)")
            precondition(error.column >= 1 && error.column <= lines[error.line - 1] + 1, "column \(error.column): \(error)")
            return
        }
        check(node, lines: lines.count)
        let out = write(node, indent: "").joined(separator: "\n") + "\n"
        guard let again = try? YAMLReader.read(out, file: "rewritten.yaml") else { preconditionFailure("rewritten does not read:\n\(out)") }
        precondition(tree(again) == tree(node), "rewritten reads differently:\n\(out)")
    }

    static func check(_ node: YAMLNode, lines: Int) {
        precondition(node.line >= 1 && node.line <= max(lines, 1), "node on line \(node.line) of \(lines)")
        switch node.value {
        case let .sequence(items): items.forEach { check($0, lines: lines) }
        case let .mapping(entries):
            precondition(Set(entries.map(\.key)).count == entries.count, "duplicate keys")
            entries.forEach { check($0.value, lines: lines) }
        default: break
        }
    }

    static func tree(_ node: YAMLNode) -> String {
        switch node.value {
        case .null: "~"
        case let .scalar(text): quote(text)
        case let .sequence(items): "[" + items.map(tree).joined(separator: ",") + "]"
        case let .mapping(entries): "{" + entries.map { quote($0.key) + ":" + tree($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if c.value < 0x20 || c.value == 0x7F || (0x80...0x9F).contains(c.value) || c.value == 0xFEFF {
                    out += "\\u" + String(format: "%04X", c.value)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    /// Block style; scalars, nulls and empty collections on their key's or item's line.
    static func write(_ node: YAMLNode, indent: String) -> [String] {
        switch node.value {
        case let .mapping(entries) where !entries.isEmpty:
            return entries.flatMap { entry -> [String] in
                let head = indent + quote(entry.key) + ":"
                if let inline = inline(entry.value) { return [head + " " + inline] }
                return [head] + write(entry.value, indent: indent + "  ")
            }
        case let .sequence(items) where !items.isEmpty:
            return items.flatMap { item -> [String] in
                if let inline = inline(item) { return [indent + "- " + inline] }
                return [indent + "-"] + write(item, indent: indent + "  ")
            }
        default:
            return [indent + inline(node)!]
        }
    }

    static func inline(_ node: YAMLNode) -> String? {
        switch node.value {
        case .null: "~"
        case let .scalar(text): quote(text)
        case let .sequence(items): items.isEmpty ? "[]" : nil
        case let .mapping(entries): entries.isEmpty ? "{}" : nil
        }
    }
}
