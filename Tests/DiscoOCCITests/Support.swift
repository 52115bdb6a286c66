import DiscoOCCI

let base = "http://localhost:8888"
let parser = OCCIParser(baseURL: base)
let renderer = OCCIRenderer(baseURL: base)

/// Every rendering that can carry an entity.
let entityRenderings: [OCCIMediaType] = [.textOCCI, .textPlain, .textOCCIPlain, .json, .json12]

/// Feeds a rendering back to the parser the way a client would receive it.
func parseBack(_ r: OCCIRendering, joinHeaders: Bool = false) throws(OCCIParseError) -> OCCIRequestBody {
    try parser.parseRequest(headers: headers(of: r, joined: joinHeaders), body: r.body, contentType: r.contentType)
}

func headers(of r: OCCIRendering, joined: Bool) -> [(String, String)] {
    guard !joined else { return r.headerPairs }
    // Split each comma-joined structure header back into repeated header lines (server-side view).
    var out: [(String, String)] = []
    for h in r.headers {
        guard ["Category", "Link", "X-OCCI-Attribute", "X-OCCI-Location"].contains(h.name) else {
            out.append((h.name, h.value)); continue
        }
        out.append(contentsOf: splitOutsideQuotes(h.value).map { (h.name, $0) })
    }
    return out
}

/// A reference comma splitter for tests (quotes and <…> aware).
func splitOutsideQuotes(_ s: String) -> [String] {
    var items: [String] = [], current = ""
    var inQuote = false, escaped = false, inAngle = false
    for ch in s.unicodeScalars {
        if inQuote {
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inQuote = false }
        } else if inAngle {
            if ch == ">" { inAngle = false }
        } else if ch == "\"" {
            inQuote = true
        } else if ch == "<" && current.allSatisfy({ $0 == " " }) {
            inAngle = true
        } else if ch == "," {
            items.append(current.trimmingSpaces()); current = ""; continue
        }
        current.unicodeScalars.append(ch)
    }
    items.append(current.trimmingSpaces())
    return items.filter { !$0.isEmpty }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - What each rendering carries

/// The entity as it must come back from `type`: the information the rendering does not carry removed.
func expectedEntity(_ e: OCCIEntity, after type: OCCIMediaType) -> OCCIEntity {
    var x = e
    switch type {
    case .textOCCI, .textPlain, .textOCCIPlain:
        x.actions = e.actions.map { OCCICategory(scheme: $0.scheme, term: $0.term, class: .action) }
    case .json:
        x.kind = pyssfCategory(e.kind, class: .kind)
        x.mixins = e.mixins.map { pyssfCategory($0, class: .mixin) }
        x.actions = e.actions.map { pyssfCategory($0, class: .action) }
        x.links = e.links.map { OCCILink(target: $0.target, categories: $0.categories, attributes: $0.attributes) }
    case .json12:
        x.kind = OCCICategory(scheme: e.kind.scheme, term: e.kind.term, class: .kind)
        x.mixins = e.mixins.map { OCCICategory(scheme: $0.scheme, term: $0.term, class: .mixin) }
        x.actions = e.actions.map { OCCICategory(scheme: $0.scheme, term: $0.term, class: .action) }
        x.links = e.links.map {
            var l = $0
            l.targetKinds = Array($0.targetKinds.prefix(1))
            return l
        }
    case .uriList:
        break
    }
    return x
}

/// pyssf JSON: no class, empty title omitted, one property per attribute definition (required wins).
func pyssfCategory(_ c: OCCICategory, class cls: OCCICategoryClass?) -> OCCICategory {
    var x = c
    x.categoryClass = cls
    if x.title == "" { x.title = nil }
    x.attributes = c.attributes.map { OCCIAttributeDefinition($0.name, required: $0.isRequired, immutable: $0.isImmutable && !$0.isRequired) }
    return x
}

func expectedCategories(_ cs: [OCCICategory], after type: OCCIMediaType) -> [OCCICategory] {
    switch type {
    case .json:
        return cs.map { pyssfCategory($0, class: nil) }
    case .json12:
        // Grouped by class: kinds, then mixins, then actions.
        let kinds = cs.filter { $0.categoryClass != .mixin && $0.categoryClass != .action }.map {
            var k = $0
            k.categoryClass = .kind
            k.rel = Array($0.rel.prefix(1))
            return k
        }
        let mixins = cs.filter { $0.categoryClass == .mixin }
        let actions = cs.filter { $0.categoryClass == .action }.map {
            OCCICategory(scheme: $0.scheme, term: $0.term, class: .action, title: $0.title, attributes: $0.attributes)
        }
        return kinds + mixins + actions
    default:
        return cs
    }
}

// MARK: - Deterministic random generation

/// SplitMix64: a small seeded PRNG so generated tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct EntityGenerator {
    var rng: SplitMix64

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    static let nasty: [String] = [
        "\"", "\\", ",", ";", "=", "#", "{", "}", "'", " ", "<", ">", "?action=x", "\n", "\r\n", "\t",
        "\u{0}", "\u{1F}", "\u{7F}", "é", "日本", "😀", "\\\"", "a=b", "http://x#y", ", ", "; ", "\"\"",
        "\\u0041", "\\n",
    ]

    mutating func word() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<int(1...8)).map { _ in pick(letters) })
    }

    mutating func name() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        var parts: [String] = []
        for _ in 0..<int(1...4) {
            parts.append(String(pick(Array("abcdefghijklmnopqrstuvwxyz0123456789_"))) + String((0..<int(0...6)).map { _ in pick(alphabet) }))
        }
        return parts.joined(separator: ".")
    }

    mutating func text() -> String {
        var s = ""
        for _ in 0..<int(0...10) {
            s += bool() ? word() : pick(Self.nasty)
        }
        return s
    }

    mutating func number() -> Double {
        switch int(0...5) {
        case 0: return Double(int(0...1_000_000))
        case 1: return Double(int(-1000...1000)) / 8
        case 2: return Double.random(in: -1e6...1e6, using: &rng)
        case 3: return Double.random(in: 0...1, using: &rng) * 1e-7
        case 4: return Double(int(1...9)) * 1e20
        default: return Double.random(in: -1e300...1e300, using: &rng)
        }
    }

    mutating func value() -> OCCIAttributeValue {
        switch int(0...5) {
        case 0, 1, 2: .string(text())
        case 3, 4: .number(number())
        default: .bool(bool())
        }
    }

    mutating func attributes(max: Int) -> OCCIAttributes {
        var a = OCCIAttributes()
        for _ in 0..<int(0...max) { a[name()] = value() }
        return a
    }

    mutating func path() -> String {
        "/" + (0..<int(1...3)).map { _ in word() + (bool() ? "" : "-" + String(int(0...999))) }.joined(separator: "/")
    }

    mutating func scheme() -> String { "http://schemas.\(word()).org/occi/\(word())#" }
    mutating func typeIdentifier() -> String { scheme() + word() }

    mutating func category(_ cls: OCCICategoryClass?) -> OCCICategory {
        OCCICategory(
            scheme: scheme(), term: word() + (bool() ? "" : "_" + String(int(0...9))), class: cls,
            title: bool() ? nil : word() + text(),
            rel: (0..<int(0...2)).map { _ in typeIdentifier() },
            location: bool() ? nil : path() + "/",
            attributes: (0..<int(0...4)).map { _ in OCCIAttributeDefinition(name(), required: bool(), immutable: bool()) },
            actions: (0..<int(0...2)).map { _ in typeIdentifier() })
    }

    mutating func link() -> OCCILink {
        OCCILink(
            target: path(), targetKinds: (0..<int(0...2)).map { _ in typeIdentifier() },
            selfLocation: bool() ? nil : path(),
            categories: (0..<int(1...3)).map { _ in typeIdentifier() },
            attributes: attributes(max: 3))
    }

    mutating func entity() -> OCCIEntity {
        OCCIEntity(
            kind: category(.kind),
            mixins: (0..<int(0...2)).map { _ in category(.mixin) },
            attributes: attributes(max: 8),
            links: (0..<int(0...2)).map { _ in link() },
            actions: (0..<int(0...2)).map { _ in OCCICategory(scheme: scheme(), term: word(), class: .action, title: bool() ? nil : word()) },
            location: path())
    }
}
