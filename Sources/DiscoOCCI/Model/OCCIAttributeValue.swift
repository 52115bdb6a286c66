/// The value of an OCCI attribute: a string, a number or a bool (GFD.185 §3.5.4).
///
/// In text renderings a quoted value is a string, an unquoted number is a number and an
/// unquoted `true`/`false` is a bool. Unquoted other words are accepted leniently as strings.
public enum OCCIAttributeValue: Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    /// A string, rendered quoted with `"` and `\` escaped.
    case string(String)
    /// A number, rendered bare without exponent (`2`, `2.5`). Non-finite values render as strings.
    case number(Double)
    /// A bool, rendered bare (`true`, `false`).
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The string payload, or `nil` for numbers and bools.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The number payload, or `nil`.
    public var numberValue: Double? { if case .number(let n) = self { n } else { nil } }
    /// The bool payload, or `nil`.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// The value as plain text, without quotes: what a pyssf-era client would see.
    public var textValue: String {
        switch self {
        case .string(let s): s
        case .number(let n): OCCINumberFormat.format(n)
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// The value as rendered in `X-OCCI-Attribute`: strings quoted and escaped, others bare.
    public var description: String {
        switch self {
        case .string(let s): OCCIQuoting.quote(s)
        case .number(let n) where !n.isFinite: OCCIQuoting.quote(OCCINumberFormat.format(n))
        default: textValue
        }
    }
}
