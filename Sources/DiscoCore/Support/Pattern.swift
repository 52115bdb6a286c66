import Foundation

/// A compiled, whole-string regular expression that is safe to share across tasks.
public struct Pattern: Sendable, Hashable, CustomStringConvertible {
    /// The regular expression source.
    public let source: String
    private let regex: NSRegularExpressionBox

    /// Compiles `source`; a bad pattern is a programming error for built-in patterns.
    public init(_ source: String) {
        // swiftlint:disable:next force_try
        self = try! Pattern(validating: source)
    }

    /// Compiles `source`, throwing when it is not a valid regular expression.
    public init(validating source: String) throws {
        self.source = source
        self.regex = NSRegularExpressionBox(try NSRegularExpression(pattern: source))
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = regex.value.firstMatch(in: text, options: [.anchored], range: range) else { return false }
        return match.range == range
    }

    public var description: String { source }
    public static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// `NSRegularExpression` is immutable and thread-safe once built.
private final class NSRegularExpressionBox: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}
