/// The Levenshtein distance between two strings, case-insensitive.
package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
package func closestMatch(to name: String, in candidates: some Sequence<String>) -> String? {
    let scored = candidates.map { ($0, editDistance(name, $0)) }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    guard let best = scored.first else { return nil }
    let lowered = name.lowercased()
    if best.0.lowercased().hasPrefix(lowered) || lowered.hasPrefix(best.0.lowercased()) { return best.0 }
    return best.1 <= max(2, name.count / 3) ? best.0 : nil
}
