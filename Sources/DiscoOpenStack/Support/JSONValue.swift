public import Foundation
import DiscoCore

/// A JSON value, for the loosely typed parts of OpenStack payloads (templates, outputs, fixtures).
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON bytes.
    ///
    /// A direct reader: through `JSONDecoder`, ``init(from:)`` finds each value's kind by trying (and throwing) kind
    /// after kind. Whatever the strict reader refuses goes to `JSONDecoder`, for its error or its leniency.
    public static func parse(_ data: Data) throws -> JSONValue {
        let direct = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> JSONValue? in
            var reader = JSONReader(raw)
            do throws(JSONReader.Failure) {
                let value = try read(&reader, depth: 0)
                try reader.end()
                return value
            } catch {
                return nil
            }
        }
        if let direct { return direct }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    private static func read(_ reader: inout JSONReader, depth: Int) throws(JSONReader.Failure) -> JSONValue {
        guard depth < JSONReader.maximumDepth else { throw reader.failure("nested too deeply") }
        switch reader.nextValueKind() {
        case .object:
            try reader.beginObject()
            var object: [String: JSONValue] = [:]
            while let key = try reader.nextKey() { object[key] = try read(&reader, depth: depth + 1) }
            return .object(object)
        case .array:
            try reader.beginArray()
            var array: [JSONValue] = []
            while try reader.nextElement() { array.append(try read(&reader, depth: depth + 1)) }
            return .array(array)
        case .string:
            return .string(try reader.readString())
        case .bool:
            return .bool(try reader.readBool())
        case .null:
            guard reader.readNull() else { throw reader.failure("expected null") }
            return .null
        case .number:
            // As `init(from:)` through JSONDecoder: an Int wherever one can be made (`2.0` and `2e3` included).
            let text = try reader.readNumberText()
            if let value = JSONReader.integer(fromNumberText: text) { return .int(value) }
            guard let value = Double(text), value.isFinite else { throw reader.failure("number out of range") }
            return .double(value)
        case nil:
            throw reader.failure("expected a value")
        }
    }

    /// Parses JSON text.
    public static func parse(_ text: String) throws -> JSONValue { try parse(Data(text.utf8)) }

    /// Compact JSON bytes with sorted keys.
    public func data(pretty: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    /// Compact JSON text with sorted keys.
    public var jsonText: String { String(decoding: data(), as: UTF8.self) }

    public var description: String { jsonText }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value.rounded()) 
        case .string(let value): Int(value)
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string(let value): Double(value)
        default: nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value): ["true", "1", "yes", "on"].contains(value.lowercased())
        default: nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The value as text: strings as they are, everything else as compact JSON.
    public var textValue: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .null: ""
        default: jsonText
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    public init(nilLiteral: ()) { self = .null }
}
