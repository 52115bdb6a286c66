/// Parses OCCI requests (and responses) in every supported rendering, leniently (occi-spec §11).
///
/// - Header input is a list of `(name, value)` pairs in arrival order; names are matched
///   case-insensitively. Repeated headers and comma-joined lists parse identically (commas split
///   only outside quoted strings), so both the server's raw headers and URLSession's joined
///   headers work.
/// - `Category`: `class` may be missing or unquoted, `;` need no following space, a trailing `;`
///   is fine, unknown parameters are ignored.
/// - `X-OCCI-Attribute`: quoted values are strings (`\x` unescaped), unquoted numbers are numbers,
///   `true`/`false` bools, other bare words strings; `#` is not a comment; `=` inside values is fine.
/// - Which part of the request is read is decided by ``OCCINegotiation/inputFormat(contentType:)``.
/// - Absolute URLs on ``baseURL`` (locations, link targets) are made relative (`/disco/42`).
///
/// ```swift
/// let parser = OCCIParser(baseURL: "http://localhost:8888")
/// let request = try parser.parseRequest(headers: req.headers, body: req.body, contentType: req.contentType)
/// let (kind, mixins) = try registry.classify(request.categories)
/// ```
public struct OCCIParser: Sendable {
    /// Caps that reject absurd inputs with an error instead of spending unbounded time or memory.
    public struct Limits: Hashable, Sendable {
        /// Attributes per request, including link attributes and attribute definitions per category.
        public var maxAttributes = 1000
        /// Bytes of a single value (quoted string, bare value, location, JSON string).
        public var maxValueLength = 64 * 1024
        /// `Category` values per request.
        public var maxCategories = 1000
        /// `Link` values per request.
        public var maxLinks = 1000
        /// `X-OCCI-Location` values / uri-list lines per request.
        public var maxLocations = 100_000
        /// Total bytes of the OCCI header values plus the body.
        public var maxInputBytes = 8 * 1024 * 1024
        /// JSON nesting depth.
        public var maxJSONDepth = 64
        public init() {}
        /// The defaults: 1,000 attributes, 64 KiB per value, 8 MiB in total.
        public static let `default` = Limits()
    }

    /// Caps on the input.
    public var limits: Limits
    /// `scheme://host[:port]` of this server; absolute URLs under it are relativized. `nil` keeps URLs as sent.
    public var baseURL: String?

    public init(baseURL: String? = nil, limits: Limits = .default) {
        self.baseURL = baseURL.map(OCCIURL.normalize(baseURL:))
        self.limits = limits
    }

    // MARK: - API

    /// Parses the OCCI structures of a request.
    ///
    /// - Parameters:
    ///   - headers: All request headers in arrival order (others than the four OCCI ones are ignored).
    ///   - body: The request body.
    ///   - contentType: The `Content-Type` header value, or `nil` when absent (then headers are read,
    ///     and the body too if it looks like text/plain OCCI).
    /// - Throws: ``OCCIParseError`` describing what was wrong and where; map it with ``OCCIParseError/httpStatus``.
    public func parseRequest(headers: [(String, String)], body: String, contentType: String?) throws(OCCIParseError) -> OCCIRequestBody {
        try parseRequestAndLocation(headers: headers, body: Array(body.utf8), contentType: contentType).0
    }

    /// Parses the OCCI structures of a request whose body is raw bytes (decoded as UTF-8).
    public func parseRequest(headers: [(String, String)], body: [UInt8], contentType: String?) throws(OCCIParseError) -> OCCIRequestBody {
        try parseRequestAndLocation(headers: headers, body: body, contentType: contentType).0
    }

    /// Parses an entity rendering: a create/update request or a GET response.
    ///
    /// The Kind is the first Category with `class="kind"` (or, if none has a class, the first one);
    /// every other Category is a Mixin. Action links become ``OCCIEntity/actions``.
    /// - Parameter location: The entity's location, when known (renderings do not carry it except
    ///   in action links and JSON `location`).
    /// - Throws: ``OCCIParseError/Code/missingCategory`` when no Kind is present.
    public func parseEntity(headers: [(String, String)], body: String, contentType: String?, location: String? = nil) throws(OCCIParseError) -> OCCIEntity {
        let (request, found) = try parseRequestAndLocation(headers: headers, body: Array(body.utf8), contentType: contentType)
        var entity = try OCCIEntity(request: request)
        entity.location = location ?? found
        return entity
    }

    /// Parses a query-interface rendering (or a filter / mixin definition): the Categories.
    public func parseCategories(headers: [(String, String)], body: String, contentType: String?) throws(OCCIParseError) -> [OCCICategory] {
        try parseRequest(headers: headers, body: body, contentType: contentType).categories
    }

    /// Parses a collection rendering (or a mixin-collection request): the locations, relativized.
    public func parseLocations(headers: [(String, String)], body: String, contentType: String?) throws(OCCIParseError) -> [String] {
        try parseRequest(headers: headers, body: body, contentType: contentType).locations
    }

    /// Parses an action invocation: `POST …?action=<term>` with the action's Category.
    ///
    /// The action is the first Category with `class="action"`, else the first Category.
    /// - Throws: ``OCCIParseError/Code/actionMismatch`` when the query has no `action=` or its value is
    ///   not the Category's term; ``OCCIParseError/Code/missingCategory`` without a Category.
    public func parseActionInvocation(query: String?, headers: [(String, String)], body: String, contentType: String?) throws(OCCIParseError) -> OCCIActionInvocation {
        guard let term = Self.actionTerm(inQuery: query) else {
            throw OCCIParseError(.actionMismatch, "an action request needs the query ?action=<term>", field: "query",
                excerpt: query)
        }
        let request = try parseRequest(headers: headers, body: body, contentType: contentType)
        guard let action = request.categories.first(where: { $0.categoryClass == .action }) ?? request.categories.first else {
            throw OCCIParseError(.missingCategory, "an action request needs the action's Category (e.g. Category: \(term); scheme=\"…\"; class=\"action\")",
                field: "Category")
        }
        guard action.term == term else {
            throw OCCIParseError(.actionMismatch, "?action=\(OCCIParseError.shorten(term)) does not match the Category term '\(OCCIParseError.shorten(action.term))'",
                field: "query", excerpt: query)
        }
        var category = action
        if category.categoryClass == nil { category.categoryClass = .action }
        return OCCIActionInvocation(action: category, attributes: request.attributes)
    }

    /// The value of `action=` in a query string (`action=start`, `?action=start&x=1`), percent-decoded;
    /// `nil` when there is none.
    public static func actionTerm(inQuery query: String?) -> String? {
        guard var query else { return nil }
        if query.hasPrefix("?") { query.removeFirst() }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, kv[0] == "action" else { continue }
            return percentDecode(String(kv[1]))
        }
        return nil
    }

    // MARK: - Single header values

    /// Parses one `Category` header value (a comma-separated list allowed).
    public func parseCategoryHeader(_ value: String) throws(OCCIParseError) -> [OCCICategory] {
        try single(.category, value).categories
    }

    /// Parses one `X-OCCI-Attribute` header value (a comma-separated list allowed).
    public func parseAttributeHeader(_ value: String) throws(OCCIParseError) -> OCCIAttributes {
        try single(.attribute, value).attributes
    }

    /// Parses one `Link` header value: entity links, and action links as action categories.
    public func parseLinkHeader(_ value: String) throws(OCCIParseError) -> (links: [OCCILink], actions: [OCCICategory]) {
        let r = try single(.link, value)
        return (r.links, r.actions)
    }

    /// Parses one `X-OCCI-Location` header value.
    public func parseLocationHeader(_ value: String) throws(OCCIParseError) -> [String] {
        try single(.location, value).locations
    }

    // MARK: - Internals

    private func single(_ field: OCCIField, _ value: String) throws(OCCIParseError) -> OCCIRequestBody {
        guard value.utf8.count <= limits.maxInputBytes else {
            throw OCCIParseError(.inputTooLarge, "input larger than \(limits.maxInputBytes) bytes", field: field.name)
        }
        var p = OCCITextParser(limits: limits, baseURL: baseURL)
        try p.parseHeader(field, value: value)
        return p.result
    }

    func parseRequestAndLocation(headers: [(String, String)], body: [UInt8], contentType: String?) throws(OCCIParseError) -> (OCCIRequestBody, String?) {
        let format = try OCCINegotiation.inputFormat(contentType: contentType)
        var occiHeaders: [(OCCIField, String)] = []
        var total = body.count
        for (name, value) in headers {
            guard let field = OCCIField.match(name.utf8.lazy.filter { $0 != .space && $0 != .tab }) else { continue }
            occiHeaders.append((field, value))
            total += value.utf8.count
        }
        guard total <= limits.maxInputBytes else {
            throw OCCIParseError(.inputTooLarge, "request larger than \(limits.maxInputBytes) bytes")
        }
        var text = OCCITextParser(limits: limits, baseURL: baseURL)
        func readHeaders() throws(OCCIParseError) {
            for (field, value) in occiHeaders { try text.parseHeader(field, value: value) }
        }
        switch format {
        case .headers:
            try readHeaders()
        case .body:
            try text.parseBody(body)
            if text.result.isEmpty { try readHeaders() }
        case .headersAndBody:
            try readHeaders()
            if OCCITextParser.looksLikeTextPlain(body) { try text.parseBody(body) }
        case .uriList:
            try text.parseURIList(body)
        case .json:
            guard body.contains(where: { !$0.isOCCIWhitespace }) else {
                try readHeaders()
                return (text.result, nil)
            }
            let value = try JSONValue.parse(body, maxDepth: limits.maxJSONDepth, maxStringLength: limits.maxValueLength)
            var reader = OCCIJSONCodec.Reader(limits: limits, baseURL: baseURL)
            return try reader.requestBody(value)
        }
        return (text.result, nil)
    }

    static func percentDecode(_ s: String) -> String {
        let b = Array(s.utf8)
        guard b.contains(UInt8(ascii: "%")) || b.contains(UInt8(ascii: "+")) else { return s }
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = b[i + 1].hexValue, let l = b[i + 2].hexValue {
                out.append(UInt8(h << 4 | l))
                i += 3
            } else {
                out.append(b[i] == UInt8(ascii: "+") ? .space : b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension OCCIEntity {
    /// Builds an entity from parsed request structures.
    ///
    /// The Kind is the first Category with `class="kind"`, or else the first Category without a
    /// class; the other Categories are Mixins.
    /// - Throws: ``OCCIParseError/Code/missingCategory`` when there is no Kind.
    public init(request: OCCIRequestBody, location: String? = nil) throws(OCCIParseError) {
        guard let index = request.categories.firstIndex(where: { $0.categoryClass == .kind })
            ?? request.categories.firstIndex(where: { $0.categoryClass == nil })
        else {
            throw OCCIParseError(.missingCategory, "no Kind Category in the request", field: "Category")
        }
        var mixins = request.categories
        let kind = mixins.remove(at: index)
        self.init(kind: kind, mixins: mixins, attributes: request.attributes, links: request.links,
            actions: request.actions, location: location)
    }
}
