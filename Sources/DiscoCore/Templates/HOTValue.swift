/// A value in a Heat Orchestration Template: scalars, lists, and objects whose key order is kept.
public indirect enum HOTValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([HOTValue])
    case object([(String, HOTValue)])

    public static func == (a: HOTValue, b: HOTValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.bool(x), .bool(y)): x == y
        case let (.list(x), .list(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case let .string(s): hasher.combine(0); hasher.combine(s)
        case let .int(i): hasher.combine(1); hasher.combine(i)
        case let .bool(b): hasher.combine(2); hasher.combine(b)
        case let .list(l): hasher.combine(3); hasher.combine(l)
        case let .object(o):
            hasher.combine(4)
            for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    /// The value under `key` of an object.
    public subscript(key: String) -> HOTValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    // MARK: - Intrinsic functions

    public static func getParam(_ name: String) -> HOTValue { .object([("get_param", .string(name))]) }
    public static func getResource(_ name: String) -> HOTValue { .object([("get_resource", .string(name))]) }
    public static func getAttr(_ resource: String, _ path: HOTValue...) -> HOTValue {
        .object([("get_attr", .list([.string(resource)] + path))])
    }
    public static func strReplace(template: HOTValue, params: [(String, HOTValue)]) -> HOTValue {
        .object([("str_replace", .object([("template", template), ("params", .object(params))]))])
    }
    public static func listJoin(_ separator: String, _ items: [HOTValue]) -> HOTValue {
        .object([("list_join", .list([.string(separator), .list(items)]))])
    }
}

extension HOTValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: HOTValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, HOTValue)...) { self = .object(elements) }
}
