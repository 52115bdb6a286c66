import DiscoCore

/// "Did you mean" help for unknown names.
public enum NameSuggestions {
    /// Up to `limit` candidates closest to `name` by edit distance (case-insensitive), nearest first;
    /// only those within a third of the name's length (at least 2 edits) or sharing a prefix/containment.
    public static func suggest(_ name: String, from candidates: [String], limit: Int = 3) -> [String] {
        let lower = name.lowercased()
        let scored = Set(candidates).map { candidate -> (String, Int) in
            let other = candidate.lowercased()
            var distance = editDistance(lower, other)
            if other.contains(lower) || lower.contains(other) { distance = min(distance, 1) }
            return (candidate, distance)
        }
        let threshold = max(2, lower.count / 3)
        return scored.filter { $0.1 <= threshold && $0.0 != name }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
    }

    /// A sentence such as `unknown flavor 'm1.lage'; did you mean 'm1.large'?`.
    public static func message(kind: String, name: String, candidates: [String]) -> String {
        let suggestions = suggest(name, from: candidates)
        if suggestions.isEmpty { return "unknown \(kind) '\(name)'" }
        return "unknown \(kind) '\(name)'; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
