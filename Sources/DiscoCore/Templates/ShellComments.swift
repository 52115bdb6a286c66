import Foundation

/// Removes whole-line comments from catalog shell text before it goes into user data, where every byte counts
/// against Nova's limit (see ``UserDataLimit``); the repository's fragments keep them for readers.
///
/// Kept: here-document bodies (configuration files and programs written by the script), `#!` lines and `# shellcheck`
/// directives. Comments after code on the same line are kept too (telling them from a `#` inside a word or string
/// needs a shell parser).
enum ShellComments {
    static func stripped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var heredocEnd: (word: Substring, allowsTabs: Bool)?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let end = heredocEnd {
                let candidate = end.allowsTabs ? line.drop { $0 == "\t" } : line
                if candidate == end.word { heredocEnd = nil }
                out += line
                out += "\n"
                continue
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#"), !trimmed.hasPrefix("#!"), !trimmed.hasPrefix("# shellcheck") { continue }
            heredocEnd = heredocStart(in: line)
            out += line
            out += "\n"
        }
        if !text.hasSuffix("\n"), out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    /// The delimiter of a here-document the line starts (`<<WORD`, `<<'WORD'`, `<<"WORD"`, `<<-WORD`), not `<<<`.
    private static func heredocStart(in line: Substring) -> (word: Substring, allowsTabs: Bool)? {
        var rest = line[...]
        while let range = rest.range(of: "<<") {
            var after = rest[range.upperBound...]
            if after.hasPrefix("<") {
                rest = after.drop { $0 == "<" }
                continue
            }
            let allowsTabs = after.hasPrefix("-")
            if allowsTabs { after = after.dropFirst() }
            after = after.drop { $0 == " " }
            if let quote = after.first, quote == "'" || quote == "\"" {
                let body = after.dropFirst()
                if let close = body.firstIndex(of: quote) { return (body[..<close], allowsTabs) }
                return nil
            }
            let word = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !word.isEmpty { return (word, allowsTabs) }
            rest = after
        }
        return nil
    }
}
