/// The categories a server exposes in its query interface (`/-/`), in registration order.
///
/// Looks categories up by type identifier and location, resolves request categories (which may
/// lack `class` and everything but `term` and `scheme`) to registered ones, and filters the
/// query interface as GFD.185 §3.4.1 / GFD.223 §7.1 describe.
///
/// ```swift
/// var registry = OCCICategoryRegistry([.entity, .resource, .link, disco])
/// let (kind, mixins) = try registry.classify(request.categories)   // 400 on unknown categories
/// let shown = try registry.filter(request.categories)               // GET /-/ with Category filter
/// ```
public struct OCCICategoryRegistry: Sendable {
    /// The registered categories, in registration order.
    public private(set) var categories: [OCCICategory] = []
    private var index: [String: Int] = [:]

    /// Creates a registry; later duplicates (same type identifier) replace earlier ones.
    public init(_ categories: [OCCICategory] = []) {
        for c in categories { register(c) }
    }

    /// Registers a category, replacing one with the same type identifier. Returns `true` if it was new.
    @discardableResult
    public mutating func register(_ category: OCCICategory) -> Bool {
        if let i = index[category.typeIdentifier] {
            categories[i] = category
            return false
        }
        index[category.typeIdentifier] = categories.count
        categories.append(category)
        return true
    }

    /// Removes the category with this type identifier and returns it.
    @discardableResult
    public mutating func remove(typeIdentifier: String) -> OCCICategory? {
        guard let i = index.removeValue(forKey: typeIdentifier) else { return nil }
        let removed = categories.remove(at: i)
        for (k, v) in index where v > i { index[k] = v - 1 }
        return removed
    }

    /// The category with this type identifier (`scheme` + `term`).
    public func category(typeIdentifier: String) -> OCCICategory? {
        index[typeIdentifier].map { categories[$0] }
    }

    /// The category with this scheme and term.
    public func category(scheme: String, term: String) -> OCCICategory? { category(typeIdentifier: scheme + term) }

    /// The Kind or Mixin whose location is `location` (e.g. `/disco/`).
    public func category(location: String) -> OCCICategory? {
        categories.first { $0.location == location && $0.categoryClass != .action }
    }

    /// The registered Kinds, Mixins and Actions.
    public var kinds: [OCCICategory] { categories.filter { $0.categoryClass == .kind } }
    public var mixins: [OCCICategory] { categories.filter { $0.categoryClass == .mixin } }
    public var actions: [OCCICategory] { categories.filter { $0.categoryClass == .action } }

    /// Replaces a request category (term + scheme, maybe without class) by the registered one.
    /// - Throws: ``OCCIParseError/Code/unknownCategory`` (400) when it is not registered, or when the
    ///   request gave a `class` that differs from the registered one.
    public func resolve(_ category: OCCICategory) throws(OCCIParseError) -> OCCICategory {
        guard let found = self.category(typeIdentifier: category.typeIdentifier) else {
            throw OCCIParseError(.unknownCategory,
                "the category \(category.typeIdentifier) is not registered with this service (see the query interface /-/)",
                field: "Category")
        }
        if let cls = category.categoryClass, let registered = found.categoryClass, cls != registered {
            throw OCCIParseError(.unknownCategory,
                "the category \(category.typeIdentifier) is a \(registered), not a \(cls)", field: "Category")
        }
        return found
    }

    /// Splits the categories of a create or update request into its Kind and Mixins (all resolved).
    ///
    /// - Parameter requireKind: when `false` (partial update), a request without a Kind is fine.
    /// - Throws: ``OCCIParseError/Code/unknownCategory`` for unregistered categories or more than one
    ///   Kind; ``OCCIParseError/Code/missingCategory`` when a Kind is required but absent.
    public func classify(_ requested: [OCCICategory], requireKind: Bool = true) throws(OCCIParseError) -> (kind: OCCICategory?, mixins: [OCCICategory]) {
        var kind: OCCICategory?
        var mixins: [OCCICategory] = []
        for c in requested {
            let r = try resolve(c)
            if r.categoryClass == .kind {
                if let kind, kind.typeIdentifier != r.typeIdentifier {
                    throw OCCIParseError(.unknownCategory, "more than one Kind: \(kind.typeIdentifier) and \(r.typeIdentifier)", field: "Category")
                }
                kind = r
            } else if r.categoryClass == .mixin {
                if !mixins.contains(where: { $0.typeIdentifier == r.typeIdentifier }) { mixins.append(r) }
            } else {
                throw OCCIParseError(.unknownCategory, "\(r.typeIdentifier) is not a Kind or Mixin", field: "Category")
            }
        }
        if requireKind && kind == nil {
            throw OCCIParseError(.missingCategory, "no Kind Category in the request", field: "Category")
        }
        return (kind, mixins)
    }

    /// The query-interface listing for a filter (the `Category` values of a `GET /-/`).
    ///
    /// An empty filter returns every category. Otherwise the result holds, in registration order,
    /// the registered categories equal (by type identifier) to a filter category; with
    /// `includeRelated`, also those related to one (a Kind's or Mixin's `rel` names it, or it is an
    /// action of a matched category).
    /// - Throws: ``OCCIParseError/Code/unknownCategory`` (400, as pyssf) for an unregistered filter category.
    public func filter(_ filter: [OCCICategory], includeRelated: Bool = false) throws(OCCIParseError) -> [OCCICategory] {
        guard !filter.isEmpty else { return categories }
        var wanted = Set<String>()
        for f in filter { wanted.insert(try resolve(f).typeIdentifier) }
        if includeRelated {
            var actions = Set<String>()
            for c in categories where wanted.contains(c.typeIdentifier) { actions.formUnion(c.actions) }
            return categories.filter { c in
                wanted.contains(c.typeIdentifier) || actions.contains(c.typeIdentifier) || c.rel.contains(where: wanted.contains)
            }
        }
        return categories.filter { wanted.contains($0.typeIdentifier) }
    }
}
