import Foundation

/// A parsed INI file: sections of `key = value` lines, remembering where each key was.
///
/// Accepts `key = value` and `key: value`, `#` and `;` comment lines, inline comments (` ;` or ` #` after a value:
/// a `;` or `#` preceded by a space or tab), blank lines, and continuation lines (indented) as Python's configparser
/// does with `inline_comment_prefixes=(";", "#")`; keys are case-insensitive.
struct INIFile: Sendable {
    struct Entry: Sendable {
        var value: String
        var line: Int
    }

    /// Where the text came from, for error messages.
    var path: String
    private(set) var sections: [String: [String: Entry]] = [:]

    init(path: String, text: String) throws(ConfigurationError) {
        self.path = path
        var section: String?
        var lastKey: String?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = Self.droppingInlineComment(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if line.first == " " || line.first == "\t", let section, let lastKey {
                sections[section]?[lastKey]?.value += "\n" + trimmed
                continue
            }
            if trimmed.hasPrefix("[") {
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces).lowercased()
                // `[ ]` is as nameless as `[]` (found by Fuzz/run.sh ini).
                guard trimmed.hasSuffix("]"), trimmed.count > 2, !name.isEmpty else {
                    throw ConfigurationError(path: path, line: lineNumber, key: nil,
                                             message: "malformed section header '\(trimmed.prefix(60))'; use [name]")
                }
                section = name
                sections[name, default: [:]] = sections[name] ?? [:]
                lastKey = nil
                continue
            }
            guard let section else {
                throw ConfigurationError(path: path, line: lineNumber, key: nil,
                                         message: "'\(trimmed.prefix(60))' is outside any [section]")
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigurationError(path: path, line: lineNumber, key: nil,
                                         message: "'\(trimmed.prefix(60))' is not a 'key = value' line")
            }
            let key = trimmed[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw ConfigurationError(path: path, line: lineNumber, key: nil, message: "a value without a key")
            }
            sections[section]?[key] = Entry(value: value, line: lineNumber)
            lastKey = key
        }
    }

    /// `line` up to a `;` or `#` that follows a space or tab.
    static func droppingInlineComment(_ line: Substring) -> Substring {
        var previous: Character?
        for index in line.indices {
            let character = line[index]
            if character == ";" || character == "#", previous == " " || previous == "\t" { return line[..<index] }
            previous = character
        }
        return line
    }

    func entry(_ section: String, _ key: String) -> Entry? { sections[section.lowercased()]?[key.lowercased()] }
    func value(_ section: String, _ key: String) -> String? { entry(section, key)?.value }
}
