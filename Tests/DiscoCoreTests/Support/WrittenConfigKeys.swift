import Foundation

/// Reads the configuration keys a composed install script writes, from the fragments as the node runs them.
enum WrittenConfigKeys {
    /// The body of `function() {` … `}` in a composed script; empty when the script has no such function.
    static func body(of function: String, in script: String) -> [Substring] {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "\(function)() {") else { return [] }
        let rest = lines[(start + 1)...]
        return Array(rest.prefix { $0 != "}" })
    }

    /// The lines of the here-document written to `target` (as spelled after `cat >`).
    static func hereDocument(to target: String, in lines: [Substring]) -> [Substring] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix("cat >\(target) <<") }) else { return [] }
        let tag = lines[start].split(separator: "<<").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) } ?? ""
        return Array(lines[(start + 1)...].prefix { $0 != tag })
    }

    /// `key=value` lines of a Java properties file.
    static func propertiesKeys(_ lines: [Substring]) -> Set<String> {
        Set(lines.compactMap { line in
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { return nil }
            return String(line[..<equals]).trimmingCharacters(in: .whitespaces)
        })
    }

    /// Top-level `key:` lines of a YAML file.
    static func yamlKeys(_ lines: [Substring]) -> Set<String> {
        Set(lines.compactMap { line in
            guard let first = line.first, first.isLetter, let colon = line.firstIndex(of: ":") else { return nil }
            return String(line[..<colon])
        })
    }

    /// `export NAME=` lines of a shell environment file.
    static func exportedNames(_ lines: [Substring]) -> Set<String> {
        Set(lines.compactMap { line in
            guard line.hasPrefix("export "), let equals = line.firstIndex(of: "=") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
        })
    }

    /// The string keys of a Python dict literal `name = {…}` (possibly over several lines).
    static func pythonDictKeys(_ name: String, in lines: [Substring]) -> Set<String> {
        guard let start = lines.firstIndex(where: { $0.hasPrefix("\(name) = {") }) else { return [] }
        var text = ""
        for line in lines[start...] {
            text += line + "\n"
            if line.hasSuffix("}") { break }
        }
        return Set(matches(of: #""([^"]+)":"#, in: text))
    }

    /// The names of `disco_hadoop_xml "$conf/<file>" "name=value" …` (a call continued over several lines).
    static func hadoopXMLNames(file: String, in lines: [Substring]) -> Set<String> {
        guard let start = lines.firstIndex(where: { $0.hasPrefix("disco_hadoop_xml \"$conf/\(file)\"") }) else { return [] }
        var names: Set<String> = []
        for line in lines[start...] {
            names.formUnion(matches(of: #""([a-z][^"=]*)="#, in: String(line)))
            if !line.hasSuffix("\\") { break }
        }
        return names
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
