import Foundation

/// Why an `icclab.disco.dependencies.inject` value could not be read.
public struct InjectParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Character offset in the value where the problem was found.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "icclab.disco.dependencies.inject: \(message) at character \(offset + 1); use a dictionary like "
            + "{'spark': '', 'hadoop': ''}, a set like {'spark', 'hadoop'}, a JSON list or object, or a comma list"
    }
}

/// Reads the original DISCO's component list — as data, never by evaluating it.
///
/// Accepted forms, all giving component names in the order written:
/// - the gen-2 Python dict `{'spark': '', 'hadoop': 'default'}` (state values must be empty or `default`),
/// - the older Python set `{'hadoop','spark'}`,
/// - JSON: `["spark", "hadoop"]` or `{"spark": {}, "jupyter": {"password": "…"}}`,
/// - a plain list: `spark, hadoop` or `spark hadoop`.
public enum InjectParser {
    /// The largest value accepted.
    public static let maxLength = 4096

    /// Parses `text` into component names and, for the JSON object form, per-component properties.
    public static func parse(_ text: String) throws(InjectParseError) -> [(name: String, properties: [String: String])] {
        guard text.utf8.count <= maxLength else {
            throw InjectParseError(offset: maxLength, message: "the value is longer than \(maxLength) bytes")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        if trimmed.first == "{" || trimmed.first == "[" {
            var parser = LiteralParser(Array(trimmed.unicodeScalars))
            let value = try parser.parseValue(depth: 0)
            parser.skipSpace()
            if !parser.atEnd { throw InjectParseError(offset: parser.index, message: "unexpected text after the closing bracket") }
            return try entries(of: value)
        }
        return try plainList(trimmed)
    }

    private static func plainList(_ text: String) throws(InjectParseError) -> [(name: String, properties: [String: String])] {
        var result: [(String, [String: String])] = []
        var offset = 0
        for token in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            defer { offset += token.count + 1 }
            let name = token.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            if name.isEmpty { continue }
            guard nameIsPlausible(name) else {
                throw InjectParseError(offset: offset, message: "'\(name.prefix(40))' is not a component name")
            }
            result.append((name.lowercased(), [:]))
        }
        return result
    }

    private static func nameIsPlausible(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_"
        }
    }

    private static func entries(of value: LiteralValue) throws(InjectParseError) -> [(name: String, properties: [String: String])] {
        switch value {
        case let .list(items, _), let .set(items, _):
            var names: [(String, [String: String])] = []
            for item in items {
                guard case let .string(name, offset) = item, nameIsPlausible(name) else {
                    throw InjectParseError(offset: item.offset, message: "expected a component name in quotes")
                }
                _ = offset
                names.append((name.lowercased(), [:]))
            }
            return names
        case let .dict(pairs, _):
            var result: [(String, [String: String])] = []
            for (key, val) in pairs {
                guard case let .string(name, keyOffset) = key, nameIsPlausible(name) else {
                    throw InjectParseError(offset: key.offset, message: "expected a component name in quotes as the key")
                }
                switch val {
                case let .string(state, offset):
                    if !(state.isEmpty || state == "default") {
                        throw InjectParseError(offset: offset, message: "the state of '\(name)' is not supported (only '' or 'default')")
                    }
                    result.append((name.lowercased(), [:]))
                case let .dict(props, _):
                    var properties: [String: String] = [:]
                    for (pk, pv) in props {
                        guard case let .string(pname, _) = pk else {
                            throw InjectParseError(offset: pk.offset, message: "expected a property name in quotes")
                        }
                        guard let text = pv.scalarText else {
                            throw InjectParseError(offset: pv.offset, message: "property '\(pname.prefix(40))' of '\(name)' must be a string, number or boolean")
                        }
                        properties[pname] = text
                    }
                    result.append((name.lowercased(), properties))
                default:
                    throw InjectParseError(offset: val.offset, message: "the value for '\(name)' must be '' or an object of properties")
                }
                _ = keyOffset
            }
            return result
        default:
            throw InjectParseError(offset: value.offset, message: "expected a dictionary, set or list")
        }
    }
}

/// A Python/JSON literal: only the shapes the inject attribute uses.
private indirect enum LiteralValue {
    case string(String, Int)
    case number(String, Int)
    case bool(Bool, Int)
    case null(Int)
    case list([LiteralValue], Int)
    case set([LiteralValue], Int)
    case dict([(LiteralValue, LiteralValue)], Int)

    var offset: Int {
        switch self {
        case let .string(_, o), let .number(_, o), let .bool(_, o), let .null(o), let .list(_, o), let .set(_, o), let .dict(_, o): o
        }
    }

    var scalarText: String? {
        switch self {
        case let .string(s, _), let .number(s, _): s
        case let .bool(b, _): b ? "true" : "false"
        default: nil
        }
    }
}

private struct LiteralParser {
    let scalars: [Unicode.Scalar]
    var index = 0
    static let maxDepth = 8

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { index >= scalars.count }

    mutating func skipSpace() {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
    }

    mutating func parseValue(depth: Int) throws(InjectParseError) -> LiteralValue {
        guard depth < Self.maxDepth else { throw InjectParseError(offset: index, message: "nested too deeply") }
        skipSpace()
        guard index < scalars.count else { throw InjectParseError(offset: index, message: "the value ends too early") }
        let start = index
        switch scalars[index] {
        case "'", "\"":
            return .string(try parseString(), start)
        case "[", "(":
            let close: Unicode.Scalar = scalars[index] == "[" ? "]" : ")"
            index += 1
            return .list(try parseItems(until: close, depth: depth), start)
        case "{":
            index += 1
            skipSpace()
            if index < scalars.count, scalars[index] == "}" {
                index += 1
                return .dict([], start)
            }
            let first = try parseValue(depth: depth + 1)
            skipSpace()
            if index < scalars.count, scalars[index] == ":" {
                index += 1
                var pairs = [(first, try parseValue(depth: depth + 1))]
                while true {
                    skipSpace()
                    guard index < scalars.count else { throw InjectParseError(offset: index, message: "missing '}'") }
                    if scalars[index] == "}" { index += 1; return .dict(pairs, start) }
                    guard scalars[index] == "," else { throw InjectParseError(offset: index, message: "expected ',' or '}'") }
                    index += 1
                    skipSpace()
                    if index < scalars.count, scalars[index] == "}" { index += 1; return .dict(pairs, start) }
                    let key = try parseValue(depth: depth + 1)
                    skipSpace()
                    guard index < scalars.count, scalars[index] == ":" else {
                        throw InjectParseError(offset: index, message: "expected ':' after a dictionary key")
                    }
                    index += 1
                    pairs.append((key, try parseValue(depth: depth + 1)))
                }
            }
            var items = [first]
            skipSpace()
            if index < scalars.count, scalars[index] == "," {
                index += 1
                items += try parseItems(until: "}", depth: depth)
            } else if index < scalars.count, scalars[index] == "}" {
                index += 1
            } else {
                throw InjectParseError(offset: index, message: "expected ',', ':' or '}'")
            }
            return .set(items, start)
        default:
            var word = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index])
                    || scalars[index] == "." || scalars[index] == "-" {
                word.unicodeScalars.append(scalars[index])
                index += 1
            }
            switch word {
            case "true", "True": return .bool(true, start)
            case "false", "False": return .bool(false, start)
            case "null", "None": return .null(start)
            default:
                if !word.isEmpty, Double(word) != nil { return .number(word, start) }
                throw InjectParseError(offset: start, message: "unexpected '\(String(scalars[start]))'; only quoted names, lists, sets and dictionaries are read")
            }
        }
    }

    mutating func parseItems(until close: Unicode.Scalar, depth: Int) throws(InjectParseError) -> [LiteralValue] {
        var items: [LiteralValue] = []
        while true {
            skipSpace()
            guard index < scalars.count else { throw InjectParseError(offset: index, message: "missing '\(close)'") }
            if scalars[index] == close { index += 1; return items }
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            guard index < scalars.count else { throw InjectParseError(offset: index, message: "missing '\(close)'") }
            if scalars[index] == "," { index += 1; continue }
            guard scalars[index] == close else { throw InjectParseError(offset: index, message: "expected ',' or '\(close)'") }
        }
    }

    mutating func parseString() throws(InjectParseError) -> String {
        let quote = scalars[index]
        let start = index
        index += 1
        var text = ""
        while index < scalars.count {
            let c = scalars[index]
            index += 1
            if c == quote { return text }
            if c == "\\" {
                guard index < scalars.count else { break }
                let e = scalars[index]
                index += 1
                switch e {
                case "n": text += "\n"
                case "t": text += "\t"
                default: text.unicodeScalars.append(e)
                }
            } else {
                text.unicodeScalars.append(c)
            }
            if text.unicodeScalars.count > InjectParser.maxLength {
                throw InjectParseError(offset: start, message: "string too long")
            }
        }
        throw InjectParseError(offset: start, message: "unterminated string")
    }
}
