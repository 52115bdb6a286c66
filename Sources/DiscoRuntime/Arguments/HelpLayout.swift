import Foundation

/// Help pages in swift-argument-parser's layout: OVERVIEW, USAGE, ARGUMENTS, OPTIONS with their labels padded to
/// column 26, and a discussion; disco-cli's commands and disco-sm's build theirs from their declarations with it.
package enum HelpLayout {
    /// A help page. `usage` may hold several lines (the later ones indented by the caller); `rowWidth` is where the
    /// rows' text wraps (`nil`: only at the line breaks it holds).
    package static func page(overview: String, usage: String, arguments: [(String, String)] = [], options: [(String, String)],
                             discussion: String? = nil, rowWidth: Int? = 74) -> String {
        var text = "OVERVIEW: \(overview)\n\nUSAGE: \(usage)\n"
        if !arguments.isEmpty { text += "\nARGUMENTS:\n" + rows(arguments, width: rowWidth) }
        text += "\nOPTIONS:\n" + rows(options, width: rowWidth)
        if let discussion {
            // A line that starts with a space is an example, kept as written.
            text += "\n" + discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { line in line.hasPrefix(" ") ? [String(line)] : wrap(String(line), width: 100) }
                .joined(separator: "\n") + "\n"
        }
        return text
    }

    /// Rows of `  label  text`, the text starting at column 26 and wrapped at `width` characters (`nil`: only at the
    /// line breaks it holds); a label longer than 21 characters has a line of its own.
    package static func rows(_ items: [(String, String)], width: Int? = 74) -> String {
        var text = ""
        for (label, description) in items {
            let lines = description.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { line in width.map { wrap(String(line), width: $0) } ?? [String(line)] }
            if label.count <= 21 {
                text += "  " + label.padding(toLength: 24, withPad: " ", startingAt: 0) + lines[0] + "\n"
            } else {
                text += "  " + label + "\n" + String(repeating: " ", count: 26) + lines[0] + "\n"
            }
            for line in lines.dropFirst() { text += String(repeating: " ", count: 26) + line + "\n" }
        }
        return text
    }
}

/// Wraps `text` to lines of at most `width` characters, breaking at spaces.
package func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        if current.isEmpty {
            current = String(word)
        } else if current.count + 1 + word.count <= width {
            current += " " + word
        } else {
            lines.append(current)
            current = String(word)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.isEmpty ? [""] : lines
}
