import Foundation

/// A user-settable property of a component.
public struct PropertyDefinition: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case string, integer, boolean
    }

    public var type: Kind
    public var summary: String
    public var defaultValue: String?
    /// A whole-value regular expression every value must match before it may enter a script.
    public var pattern: String?
    /// A secret is never stored, logged or returned; it reaches the node only as its salted hash.
    public var isSecret: Bool
    public var isRequired: Bool

    /// What every secret value is: 1–256 characters, none a control character (C0, DEL, C1) or a line or paragraph
    /// separator (the characters a regular expression's `.` differs on between engines).
    public static let secretPattern = Pattern(#"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,256}$"#)

    public init(type: Kind = .string, summary: String = "", defaultValue: String? = nil, pattern: String? = nil,
                isSecret: Bool = false, isRequired: Bool = false) {
        self.type = type
        self.summary = summary
        self.defaultValue = defaultValue
        self.pattern = pattern
        self.isSecret = isSecret
        self.isRequired = isRequired
    }

    private enum CodingKeys: String, CodingKey {
        case type, summary, pattern
        case defaultValue = "default"
        case isSecret = "secret"
        case isRequired = "required"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(Kind.self, forKey: .type) ?? .string
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? ""
        defaultValue = try c.decodeIfPresent(String.self, forKey: .defaultValue)
        pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
        isSecret = try c.decodeIfPresent(Bool.self, forKey: .isSecret) ?? false
        isRequired = try c.decodeIfPresent(Bool.self, forKey: .isRequired) ?? false
    }
}
