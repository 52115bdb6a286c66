// The lenient text/occi + text/plain + text/uri-list parser. Works on UTF-8 bytes in one pass per
// structure (split outside quotes, then scan each item), so time is linear in the input size.

extension UInt8 {
    static let dquote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
    static let equals = UInt8(ascii: "=")
    static let colon = UInt8(ascii: ":")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let hash = UInt8(ascii: "#")

    var isOCCIWhitespace: Bool { self == .space || self == .tab || self == .cr || self == .lf }
    var isASCIIAlphanumeric: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
    var hexValue: UInt32? {
        switch self {
        case 0x30...0x39: UInt32(self - 0x30)
        case 0x41...0x46: UInt32(self - 0x41 + 10)
        case 0x61...0x66: UInt32(self - 0x61 + 10)
        default: nil
        }
    }
}

/// One of the four OCCI text structures (GFD.185 §3.5).
enum OCCIField: CaseIterable {
    case category, link, attribute, location

    /// The canonical header / line name.
    var name: String {
        switch self {
        case .category: "Category"
        case .link: "Link"
        case .attribute: "X-OCCI-Attribute"
        case .location: "X-OCCI-Location"
        }
    }

    /// Matches a field name case-insensitively (ASCII), ignoring surrounding whitespace.
    static func match<C: Collection>(_ name: C) -> OCCIField? where C.Element == UInt8 {
        for field in allCases where asciiCaseInsensitiveEqual(name, field.name.utf8) { return field }
        return nil
    }

    static func asciiCaseInsensitiveEqual<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where lower(x) != lower(y) { return false }
        return true
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
}

/// A parameter of a Category or Link value: `name=value` after a `;`.
struct OCCIParam {
    var name: String
    var lowercasedName: String
    var value: String
    var isQuoted: Bool
    var offset: Int
}

/// Accumulates the OCCI structures of one request from header values and body lines.
struct OCCITextParser {
    let limits: OCCIParser.Limits
    let baseURL: String?
    var result = OCCIRequestBody()
    private var attributeCount = 0

    init(limits: OCCIParser.Limits, baseURL: String?) {
        self.limits = limits
        self.baseURL = baseURL
    }

    // MARK: - Entry points

    /// Parses one header value (possibly a comma-joined list).
    mutating func parseHeader(_ field: OCCIField, value: String) throws(OCCIParseError) {
        let bytes = Array(value.utf8)
        do throws(OCCIParseError) {
            try parseField(field, bytes, 0..<bytes.count)
        } catch {
            throw error.located(field: field.name)
        }
    }

    /// Parses a text/plain body: one `Name: value` per line, LF or CRLF, names case-insensitive.
    /// Lines that are not OCCI fields (blank lines, `OK`) are ignored.
    mutating func parseBody(_ bytes: [UInt8]) throws(OCCIParseError) {
        var lineNumber = 0
        try forEachLine(bytes) { (start, end) throws(OCCIParseError) in
            lineNumber += 1
            var i = start
            while i < end, bytes[i].isOCCIWhitespace { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != .colon { i += 1 }
            guard i < end else { return }
            var nameEnd = i
            while nameEnd > nameStart, bytes[nameEnd - 1].isOCCIWhitespace { nameEnd -= 1 }
            guard let field = OCCIField.match(bytes[nameStart..<nameEnd]) else { return }
            do throws(OCCIParseError) {
                try parseField(field, bytes, (i + 1)..<end)
            } catch {
                throw error.located(field: field.name, line: lineNumber, offsetShift: start)
            }
        }
    }

    /// Parses a text/uri-list body (RFC 2483): one URI per line, `#` lines are comments.
    mutating func parseURIList(_ bytes: [UInt8]) throws(OCCIParseError) {
        var lineNumber = 0
        try forEachLine(bytes) { (start, end) throws(OCCIParseError) in
            lineNumber += 1
            let r = Self.trim(bytes, start..<end)
            guard !r.isEmpty, bytes[r.lowerBound] != .hash else { return }
            do throws(OCCIParseError) {
                try addLocation(bytes, r)
            } catch {
                throw error.located(field: "text/uri-list", line: lineNumber, offsetShift: start)
            }
        }
    }

    /// True when some line of the body starts with an OCCI field name and a colon.
    static func looksLikeTextPlain(_ bytes: [UInt8]) -> Bool {
        var found = false
        forEachLine(bytes) { (start, end) in
            guard !found else { return }
            var i = start
            while i < end, bytes[i].isOCCIWhitespace { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != .colon, i - nameStart <= 16 { i += 1 }
            guard i < end, bytes[i] == .colon else { return }
            var nameEnd = i
            while nameEnd > nameStart, bytes[nameEnd - 1].isOCCIWhitespace { nameEnd -= 1 }
            if OCCIField.match(bytes[nameStart..<nameEnd]) != nil { found = true }
        }
        return found
    }

    // MARK: - Fields

    mutating func parseField(_ field: OCCIField, _ b: [UInt8], _ range: Range<Int>) throws(OCCIParseError) {
        let items = try Self.split(b, range, angleBrackets: field == .link, code: code(for: field))
        for item in items {
            switch field {
            case .category:
                let category = try parseCategory(b, item)
                guard result.categories.count < limits.maxCategories else {
                    throw tooMany("categories", limits.maxCategories, b, item)
                }
                result.categories.append(category)
            case .link:
                let link = try parseLink(b, item)
                attributeCount += link.attributes.count
                guard result.links.count + result.actions.count < limits.maxLinks else {
                    throw tooMany("links", limits.maxLinks, b, item)
                }
                if link.isActionLink, link.targetKinds.count == 1 {
                    result.actions.append(OCCICategory(typeIdentifier: link.targetKinds[0], class: .action))
                } else {
                    result.links.append(link)
                }
            case .attribute:
                let (name, value) = try parseAttribute(b, item)
                try countAttribute(b, item)
                result.attributes[name] = value
            case .location:
                try addLocation(b, item)
            }
        }
    }

    private func code(for field: OCCIField) -> OCCIParseError.Code {
        switch field {
        case .category: .malformedCategory
        case .link: .malformedLink
        case .attribute: .malformedAttribute
        case .location: .malformedLocation
        }
    }

    private mutating func countAttribute(_ b: [UInt8], _ r: Range<Int>) throws(OCCIParseError) {
        attributeCount += 1
        guard attributeCount <= limits.maxAttributes else {
            throw tooMany("attributes", limits.maxAttributes, b, r)
        }
    }

    private func tooMany(_ what: String, _ limit: Int, _ b: [UInt8], _ r: Range<Int>) -> OCCIParseError {
        Self.error(.tooManyItems, "more than \(limit) \(what)", b, r.lowerBound, r.upperBound)
    }

    private mutating func addLocation(_ b: [UInt8], _ r: Range<Int>) throws(OCCIParseError) {
        var r = Self.trim(b, r)
        var text: String
        if b[r.lowerBound] == .dquote {
            let (s, next) = try readQuoted(b, at: r.lowerBound, end: r.upperBound)
            guard Self.trim(b, next..<r.upperBound).isEmpty else {
                throw Self.error(.malformedLocation, "unexpected text after quoted location", b, next, r.upperBound)
            }
            text = s
        } else {
            if b[r.lowerBound] == .lessThan, b[r.upperBound - 1] == .greaterThan, r.count >= 2 {
                r = Self.trim(b, (r.lowerBound + 1)..<(r.upperBound - 1))
            }
            if let ws = r.first(where: { b[$0].isOCCIWhitespace }) {
                throw Self.error(.malformedLocation, "whitespace inside a location", b, ws, r.upperBound)
            }
            try checkLength(r.count, b, r)
            text = String(decoding: b[r], as: UTF8.self)
        }
        guard !text.isEmpty else {
            throw Self.error(.malformedLocation, "empty location", b, r.lowerBound, r.upperBound)
        }
        guard result.locations.count < limits.maxLocations else {
            throw tooMany("locations", limits.maxLocations, b, r)
        }
        result.locations.append(relativize(text))
    }

    // MARK: - Category

    func parseCategory(_ b: [UInt8], _ r: Range<Int>) throws(OCCIParseError) -> OCCICategory {
        var i = r.lowerBound
        let end = r.upperBound
        while i < end, b[i] != .semicolon { i += 1 }
        let termRange = Self.trim(b, r.lowerBound..<i)
        let term = String(decoding: b[termRange], as: UTF8.self)
        guard Self.isValidTerm(b[termRange]) else {
            throw Self.error(.malformedCategory,
                term.isEmpty ? "missing term" : "invalid term '\(OCCIParseError.shorten(term))'",
                b, termRange.lowerBound, end)
        }
        var category = OCCICategory(scheme: "", term: term)
        var sawScheme = false
        for p in try parseParams(b, from: i, end: end, code: .malformedCategory) {
            switch p.lowercasedName {
            case "scheme":
                category.scheme = p.value
                sawScheme = true
            case "class":
                let cls = p.value.trimmingOCCIWhitespace()
                category.categoryClass = cls.isEmpty ? nil : OCCICategoryClass(rawValue: cls)
            case "title":
                category.title = p.value.isEmpty ? nil : p.value
            case "rel":
                category.rel = Self.words(p.value)
            case "location":
                category.location = p.value.isEmpty ? nil : relativize(p.value)
            case "attributes":
                category.attributes = try parseAttributeDefinitions(p.value, offset: p.offset)
            case "actions":
                category.actions = Self.words(p.value)
            default:
                continue  // unknown parameters are ignored (lenient input)
            }
        }
        guard sawScheme, !category.scheme.isEmpty else {
            throw Self.error(.malformedCategory, "missing scheme for category '\(OCCIParseError.shorten(term))'",
                b, r.lowerBound, end)
        }
        // scheme + term must split back unambiguously at the last '#'.
        guard category.scheme.hasSuffix("#") else {
            throw Self.error(.malformedCategory, "the scheme of category '\(OCCIParseError.shorten(term))' must end with '#'",
                b, r.lowerBound, end)
        }
        return category
    }

    /// `name`, `name{required}`, `name{immutable required}`, separated by spaces (or commas).
    func parseAttributeDefinitions(_ text: String, offset: Int) throws(OCCIParseError) -> [OCCIAttributeDefinition] {
        let b = Array(text.utf8)
        var defs: [OCCIAttributeDefinition] = []
        var i = 0
        func isSep(_ c: UInt8) -> Bool { c.isOCCIWhitespace || c == .comma }
        while i < b.count {
            while i < b.count, isSep(b[i]) { i += 1 }
            guard i < b.count else { break }
            let nameStart = i
            while i < b.count, !isSep(b[i]), b[i] != .openBrace { i += 1 }
            let name = b[nameStart..<i]
            guard Self.isValidAttributeName(name) else {
                throw OCCIParseError(.malformedCategory, "invalid attribute definition",
                    offset: offset, excerpt: String(decoding: b[nameStart...], as: UTF8.self))
            }
            var def = OCCIAttributeDefinition(String(decoding: name, as: UTF8.self))
            if i < b.count, b[i] == .openBrace {
                let open = i
                guard let close = b[open...].firstIndex(of: .closeBrace) else {
                    throw OCCIParseError(.unterminatedQuote, "'{' without '}' in attribute definitions",
                        offset: offset, excerpt: String(decoding: b[open...], as: UTF8.self))
                }
                for prop in Self.words(String(decoding: b[(open + 1)..<close], as: UTF8.self), commas: true) {
                    switch prop.lowercased() {
                    case "required": def.isRequired = true
                    case "immutable": def.isImmutable = true
                    default: continue
                    }
                }
                i = close + 1
            }
            if defs.count >= limits.maxAttributes {
                throw OCCIParseError(.tooManyItems, "more than \(limits.maxAttributes) attribute definitions",
                    offset: offset)
            }
            defs.append(def)
        }
        return defs
    }

    // MARK: - Link

    func parseLink(_ b: [UInt8], _ r: Range<Int>) throws(OCCIParseError) -> OCCILink {
        let end = r.upperBound
        var i = r.lowerBound
        guard b[i] == .lessThan else {
            throw Self.error(.malformedLink, "expected '<' before the link target", b, i, end)
        }
        guard let close = b[(i + 1)..<end].firstIndex(of: .greaterThan) else {
            throw Self.error(.unterminatedQuote, "'<' without '>'", b, i, end)
        }
        let targetRange = Self.trim(b, (i + 1)..<close)
        guard !targetRange.isEmpty else { throw Self.error(.malformedLink, "empty link target", b, i, end) }
        try checkLength(targetRange.count, b, targetRange)
        var link = OCCILink(target: relativize(String(decoding: b[targetRange], as: UTF8.self)))
        i = close + 1
        while i < end, b[i].isOCCIWhitespace { i += 1 }
        var linkAttributes = 0
        for p in try parseParams(b, from: i, end: end, code: .malformedLink) {
            switch p.lowercasedName {
            case "rel": link.targetKinds = Self.words(p.value)
            case "self": link.selfLocation = relativize(p.value)
            case "category": link.categories = Self.words(p.value)
            default:
                guard Self.isValidAttributeName(p.name.utf8) else {
                    throw Self.error(.malformedLink, "invalid link attribute name", b, p.offset, end)
                }
                linkAttributes += 1
                guard attributeCount + linkAttributes <= limits.maxAttributes else {
                    throw tooMany("attributes", limits.maxAttributes, b, r)
                }
                link.attributes[p.name] = p.isQuoted ? .string(p.value) : Self.typedValue(bare: p.value)
            }
        }
        return link
    }

    /// Parses `; name=value` parameters starting at a `;` (or the end).
    func parseParams(_ b: [UInt8], from start: Int, end: Int, code: OCCIParseError.Code) throws(OCCIParseError) -> [OCCIParam] {
        var params: [OCCIParam] = []
        var i = start
        while i < end {
            guard b[i] == .semicolon else {
                throw Self.error(code, "expected ';'", b, i, end)
            }
            i += 1
            while i < end, b[i].isOCCIWhitespace { i += 1 }
            if i >= end { break }  // trailing ';'
            if b[i] == .semicolon { continue }  // ';;'
            let nameStart = i
            while i < end, b[i] != .equals, b[i] != .semicolon, b[i] != .dquote { i += 1 }
            let nameRange = Self.trim(b, nameStart..<i)
            let name = String(decoding: b[nameRange], as: UTF8.self)
            guard i < end, b[i] == .equals, !nameRange.isEmpty else {
                throw Self.error(code, name.isEmpty ? "expected a parameter name" : "parameter '\(OCCIParseError.shorten(name))' has no value",
                    b, nameStart, end)
            }
            i += 1
            while i < end, b[i].isOCCIWhitespace { i += 1 }
            if i < end, b[i] == .dquote {
                let (value, next) = try readQuoted(b, at: i, end: end)
                i = next
                while i < end, b[i].isOCCIWhitespace { i += 1 }
                guard i == end || b[i] == .semicolon else {
                    throw Self.error(code, "unexpected text after quoted value of '\(name)'", b, i, end)
                }
                params.append(OCCIParam(name: name, lowercasedName: name.lowercased(), value: value, isQuoted: true, offset: nameStart))
            } else {
                let valueStart = i
                while i < end, b[i] != .semicolon {
                    if b[i] == .dquote {
                        throw Self.error(code, "unexpected '\"' inside the unquoted value of '\(name)'", b, i, end)
                    }
                    i += 1
                }
                let valueRange = Self.trim(b, valueStart..<i)
                try checkLength(valueRange.count, b, valueRange)
                params.append(OCCIParam(name: name, lowercasedName: name.lowercased(),
                    value: String(decoding: b[valueRange], as: UTF8.self), isQuoted: false, offset: nameStart))
            }
        }
        return params
    }

    // MARK: - Attribute

    func parseAttribute(_ b: [UInt8], _ r: Range<Int>) throws(OCCIParseError) -> (String, OCCIAttributeValue) {
        let end = r.upperBound
        var i = r.lowerBound
        while i < end, b[i] != .equals, b[i] != .dquote { i += 1 }
        guard i < end, b[i] == .equals else {
            throw Self.error(.malformedAttribute, "expected name=value", b, r.lowerBound, end)
        }
        let nameRange = Self.trim(b, r.lowerBound..<i)
        guard Self.isValidAttributeName(b[nameRange]) else {
            throw Self.error(.malformedAttribute, nameRange.isEmpty ? "missing attribute name" : "invalid attribute name",
                b, r.lowerBound, end)
        }
        let name = String(decoding: b[nameRange], as: UTF8.self)
        i += 1
        while i < end, b[i].isOCCIWhitespace { i += 1 }
        if i < end, b[i] == .dquote {
            let (value, next) = try readQuoted(b, at: i, end: end)
            guard Self.trim(b, next..<end).isEmpty else {
                throw Self.error(.malformedAttribute, "unexpected text after the quoted value of '\(OCCIParseError.shorten(name))'",
                    b, next, end)
            }
            return (name, .string(value))
        }
        let valueRange = Self.trim(b, i..<end)
        try checkLength(valueRange.count, b, valueRange)
        return (name, Self.typedValue(bare: String(decoding: b[valueRange], as: UTF8.self)))
    }

    /// Types an unquoted value: `true`/`false` → bool, a decimal number → number, else string.
    static func typedValue(bare: String) -> OCCIAttributeValue {
        if bare == "true" { return .bool(true) }
        if bare == "false" { return .bool(false) }
        if isNumberLiteral(bare.utf8), let d = Double(bare), d.isFinite { return .number(d) }
        return .string(bare)
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    static func isNumberLiteral<C: Collection>(_ s: C) -> Bool where C.Element == UInt8 {
        var it = Array(s)[...]
        if let f = it.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { it = it.dropFirst() }
        var digits = 0
        while let f = it.first, f >= 0x30, f <= 0x39 { digits += 1; it = it.dropFirst() }
        if let f = it.first, f == UInt8(ascii: ".") {
            it = it.dropFirst()
            while let f = it.first, f >= 0x30, f <= 0x39 { digits += 1; it = it.dropFirst() }
        }
        guard digits > 0 else { return false }
        if let f = it.first, f == UInt8(ascii: "e") || f == UInt8(ascii: "E") {
            it = it.dropFirst()
            if let f = it.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { it = it.dropFirst() }
            var exp = 0
            while let f = it.first, f >= 0x30, f <= 0x39 { exp += 1; it = it.dropFirst() }
            guard exp > 0 else { return false }
        }
        return it.isEmpty
    }

    // MARK: - Lexical helpers

    /// Splits a header value on commas outside quoted strings (and outside `<…>` that open an item).
    static func split(_ b: [UInt8], _ range: Range<Int>, angleBrackets: Bool, code: OCCIParseError.Code) throws(OCCIParseError) -> [Range<Int>] {
        var items: [Range<Int>] = []
        var start = range.lowerBound
        var i = start
        var hasContent = false
        var quoteStart = -1
        var angleStart = -1
        while i < range.upperBound {
            let c = b[i]
            if quoteStart >= 0 {
                if c == .backslash { i += 2; continue }
                if c == .dquote { quoteStart = -1 }
            } else if angleStart >= 0 {
                if c == .greaterThan { angleStart = -1 }
            } else if c == .dquote {
                quoteStart = i
                hasContent = true
            } else if c == .lessThan, angleBrackets, !hasContent {
                angleStart = i
                hasContent = true
            } else if c == .comma {
                let item = trim(b, start..<i)
                if !item.isEmpty { items.append(item) }
                start = i + 1
                hasContent = false
            } else if !c.isOCCIWhitespace {
                hasContent = true
            }
            i += 1
        }
        if quoteStart >= 0 {
            throw error(.unterminatedQuote, "unterminated quoted string", b, quoteStart, range.upperBound)
        }
        if angleStart >= 0 {
            throw error(.unterminatedQuote, "'<' without '>'", b, angleStart, range.upperBound)
        }
        let item = trim(b, start..<range.upperBound)
        if !item.isEmpty { items.append(item) }
        return items
    }

    /// Reads a quoted-string starting at the `"` at `start`; returns the unescaped text and the index after the closing quote.
    func readQuoted(_ b: [UInt8], at start: Int, end: Int) throws(OCCIParseError) -> (String, Int) {
        var out: [UInt8] = []
        var i = start + 1
        while i < end {
            let c = b[i]
            if c == .dquote { return (String(decoding: out, as: UTF8.self), i + 1) }
            if c == .backslash, i + 1 < end {
                let n = b[i + 1]
                i += 2
                switch n {
                case UInt8(ascii: "n"): out.append(.lf)
                case UInt8(ascii: "r"): out.append(.cr)
                case UInt8(ascii: "t"): out.append(.tab)
                case UInt8(ascii: "u"):
                    if i + 4 <= end, let h0 = b[i].hexValue, let h1 = b[i + 1].hexValue, let h2 = b[i + 2].hexValue,
                        let h3 = b[i + 3].hexValue, let scalar = Unicode.Scalar(h0 << 12 | h1 << 8 | h2 << 4 | h3)
                    {
                        out.append(contentsOf: String(Character(scalar)).utf8)
                        i += 4
                    } else {
                        out.append(n)
                    }
                default: out.append(n)
                }
            } else {
                out.append(c)
                i += 1
            }
            if out.count > limits.maxValueLength {
                throw Self.error(.valueTooLong, "value longer than \(limits.maxValueLength) bytes", b, start, end)
            }
        }
        throw Self.error(.unterminatedQuote, "unterminated quoted string", b, start, end)
    }

    func checkLength(_ count: Int, _ b: [UInt8], _ r: Range<Int>) throws(OCCIParseError) {
        if count > limits.maxValueLength {
            throw Self.error(.valueTooLong, "value longer than \(limits.maxValueLength) bytes", b, r.lowerBound, r.upperBound)
        }
    }

    func relativize(_ s: String) -> String { OCCIURL.relativize(s, baseURL: baseURL) }

    static func trim(_ b: [UInt8], _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, b[lo].isOCCIWhitespace { lo += 1 }
        while hi > lo, b[hi - 1].isOCCIWhitespace { hi -= 1 }
        return lo..<hi
    }

    static func words(_ s: String, commas: Bool = false) -> [String] {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || (commas && $0 == ",") })
            .map(String.init)
    }

    /// OCCI 1.2 term: `( ALPHA | DIGIT ) *( ALPHA | DIGIT | "-" | "_" | "." )` (a leading `_` is tolerated).
    static func isValidTerm<C: Collection>(_ s: C) -> Bool where C.Element == UInt8 {
        isValidAttributeName(s)
    }

    /// OCCI 1.2 attribute name: `( ALPHA | DIGIT | "_" ) *( ALPHA | DIGIT | "-" | "_" | "." )`.
    static func isValidAttributeName<C: Collection>(_ s: C) -> Bool where C.Element == UInt8 {
        guard let first = s.first, first.isASCIIAlphanumeric || first == UInt8(ascii: "_") else { return false }
        for c in s.dropFirst() where !(c.isASCIIAlphanumeric || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")) {
            return false
        }
        return true
    }

    static func error(_ code: OCCIParseError.Code, _ message: String, _ b: [UInt8], _ at: Int, _ end: Int) -> OCCIParseError {
        let stop = min(end, at + 2 * OCCIParseError.excerptLimit)
        return OCCIParseError(code, message, offset: at, excerpt: String(decoding: b[min(at, stop)..<stop], as: UTF8.self))
    }
}

/// Calls `body(start, end)` for each line of `bytes` split on LF, without the LF or a trailing CR.
func forEachLine<E: Error>(_ bytes: [UInt8], _ body: (Int, Int) throws(E) -> Void) throws(E) {
    var start = 0
    var i = 0
    while i <= bytes.count {
        if i == bytes.count || bytes[i] == .lf {
            var end = i
            if end > start, bytes[end - 1] == .cr { end -= 1 }
            if i < bytes.count || start < bytes.count { try body(start, end) }
            start = i + 1
        }
        i += 1
    }
}
