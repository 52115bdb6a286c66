import Foundation

/// Quoting for values that enter generated bash scripts.
public enum ShellQuoting {
    /// `value` as one single-quoted bash word: `it's` → `'it'\''s'`.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A bash variable name for a component or property: upper-case, `-` → `_`.
    public static func identifier(_ parts: String...) -> String {
        parts.map { $0.uppercased().replacingOccurrences(of: "-", with: "_") }.joined(separator: "_")
    }

    /// A bash function-name segment for a component: `-` → `_`.
    public static func functionSegment(_ name: String) -> String {
        name.replacingOccurrences(of: "-", with: "_")
    }
}
