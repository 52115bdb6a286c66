/// An ordered, case-insensitive list of HTTP header fields.
///
/// Repeated headers are kept as separate entries in arrival order, which OCCI needs
/// for `Category` and `X-OCCI-Attribute`. Names compare ASCII case-insensitively;
/// the spelling of the first arrival is preserved.
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "text/plain"]
/// headers.add("Category", "compute")
/// headers.add("category", "network")
/// headers.values("CATEGORY")   // ["compute", "network"]
/// ```
struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    var entries: [(name: String, value: String)]

    init() { entries = [] }

    init(_ entries: [(name: String, value: String)]) { self.entries = entries }

    init(dictionaryLiteral elements: (String, String)...) {
        entries = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value for `name`, or `nil`.
    subscript(name: String) -> String? {
        for entry in entries where HTTPHeaders.equalsIgnoringCase(entry.name, name) {
            return entry.value
        }
        return nil
    }

    /// All values for `name`, in arrival order.
    func values(_ name: String) -> [String] {
        entries.compactMap { HTTPHeaders.equalsIgnoringCase($0.name, name) ? $0.value : nil }
    }

    /// Whether any entry is named `name`.
    func contains(_ name: String) -> Bool {
        entries.contains { HTTPHeaders.equalsIgnoringCase($0.name, name) }
    }

    /// Appends a field, keeping any existing ones of the same name.
    mutating func add(_ name: String, _ value: String) {
        entries.append((name: name, value: value))
    }

    /// Replaces all fields named `name` with one field (at the first one's position).
    mutating func set(_ name: String, _ value: String) {
        if let index = entries.firstIndex(where: { HTTPHeaders.equalsIgnoringCase($0.name, name) }) {
            entries[index].value = value
            var i = entries.count - 1
            while i > index {
                if HTTPHeaders.equalsIgnoringCase(entries[i].name, name) { entries.remove(at: i) }
                i -= 1
            }
        } else {
            entries.append((name: name, value: value))
        }
    }

    /// Removes all fields named `name`.
    mutating func remove(_ name: String) {
        entries.removeAll { HTTPHeaders.equalsIgnoringCase($0.name, name) }
    }

    /// Whether the comma-separated token lists of all `name` fields contain `token` (case-insensitive).
    func containsToken(_ token: String, in name: String) -> Bool {
        for value in values(name) {
            for part in value.split(separator: ",") {
                let trimmed = part.trimmingOWS()
                if HTTPHeaders.equalsIgnoringCase(trimmed, token) { return true }
            }
        }
        return false
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        entries.makeIterator()
    }

    var description: String {
        entries.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// ASCII case-insensitive comparison without allocating.
    static func equalsIgnoringCase<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let au = a.utf8, bu = b.utf8
        guard au.count == bu.count else { return false }
        var ia = au.makeIterator(), ib = bu.makeIterator()
        while let x = ia.next(), let y = ib.next() {
            if x == y { continue }
            if lowerASCII(x) != lowerASCII(y) { return false }
        }
        return true
    }

    @inline(__always)
    static func lowerASCII(_ c: UInt8) -> UInt8 {
        (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
    }
}

extension StringProtocol {
    /// Strips optional whitespace (SP / HTAB) from both ends.
    func trimmingOWS() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
