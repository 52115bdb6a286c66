/// An OCCI Category: a Kind, a Mixin or an Action (GFD.183, rendered per GFD.185 §3.5.1).
///
/// A Category is identified by `scheme` + `term` (its ``typeIdentifier``). The other fields are
/// what the query interface shows.
///
/// Equality compares every field, but treats ``attributes`` as a set of definitions keyed by
/// name (renderings such as pyssf JSON do not keep their order). Hashing uses the type identifier.
///
/// ```swift
/// let disco = OCCICategory(scheme: "http://schemas.cloudcomplab.ch/occi/sm#", term: "disco",
///                          class: .kind, title: "DISCO", rel: [OCCICategory.resource.typeIdentifier],
///                          location: "/disco/")
/// ```
public struct OCCICategory: Hashable, Sendable, CustomStringConvertible {
    /// The scheme, normally an absolute URI ending in `#`.
    public var scheme: String
    /// The term, e.g. `compute`.
    public var term: String
    /// `kind`, `mixin` or `action`; `nil` when a request omitted `class`.
    public var categoryClass: OCCICategoryClass?
    /// A human-readable title.
    public var title: String?
    /// Related categories (a Kind's parent, a Mixin's dependencies), as type identifiers.
    public var rel: [String]
    /// The collection path of a Kind or Mixin, e.g. `/disco/` (relative to the server).
    public var location: String?
    /// The attribute definitions.
    public var attributes: [OCCIAttributeDefinition]
    /// The actions defined by a Kind or Mixin, as type identifiers.
    public var actions: [String]

    public init(
        scheme: String, term: String, class categoryClass: OCCICategoryClass? = nil,
        title: String? = nil, rel: [String] = [], location: String? = nil,
        attributes: [OCCIAttributeDefinition] = [], actions: [String] = []
    ) {
        self.scheme = scheme
        self.term = term
        self.categoryClass = categoryClass
        self.title = title
        self.rel = rel
        self.location = location
        self.attributes = attributes
        self.actions = actions
    }

    /// Creates a category from a type identifier such as `http://x/y#term`: the scheme is
    /// everything up to and including the last `#`.
    public init(typeIdentifier: String, class categoryClass: OCCICategoryClass? = nil) {
        let (scheme, term) = OCCICategory.split(typeIdentifier: typeIdentifier)
        self.init(scheme: scheme, term: term, class: categoryClass)
    }

    /// `scheme` + `term`, e.g. `http://schemas.ogf.org/occi/core#resource`.
    public var typeIdentifier: String { scheme + term }

    /// The attribute definition called `name`, if any.
    public func attribute(named name: String) -> OCCIAttributeDefinition? {
        attributes.last { $0.name == name }
    }

    /// Splits a type identifier after its last `#` into scheme and term. Without `#`, the scheme is empty.
    public static func split(typeIdentifier: String) -> (scheme: String, term: String) {
        guard let hash = typeIdentifier.lastIndex(of: "#") else { return ("", typeIdentifier) }
        let cut = typeIdentifier.index(after: hash)
        return (String(typeIdentifier[..<cut]), String(typeIdentifier[cut...]))
    }

    public var description: String { typeIdentifier }

    public static func == (a: OCCICategory, b: OCCICategory) -> Bool {
        guard a.scheme == b.scheme, a.term == b.term, a.categoryClass == b.categoryClass,
            a.title == b.title, a.rel == b.rel, a.location == b.location, a.actions == b.actions
        else { return false }
        return attributeMap(a.attributes) == attributeMap(b.attributes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scheme)
        hasher.combine(term)
    }

    private static func attributeMap(_ defs: [OCCIAttributeDefinition]) -> [String: OCCIAttributeDefinition] {
        var map: [String: OCCIAttributeDefinition] = [:]
        for def in defs { map[def.name] = def }
        return map
    }

    /// The scheme of the OCCI core categories.
    public static let coreScheme = "http://schemas.ogf.org/occi/core#"
    /// `core#entity`, the root Kind.
    public static let entity = OCCICategory(
        scheme: coreScheme, term: "entity", class: .kind, title: "Entity", location: "/entity/",
        attributes: [.init("occi.core.id", required: true, immutable: true), .init("occi.core.title")])
    /// `core#resource`, the Kind every resource Kind is related to.
    public static let resource = OCCICategory(
        scheme: coreScheme, term: "resource", class: .kind, title: "Resource",
        rel: [coreScheme + "entity"], location: "/resource/", attributes: [.init("occi.core.summary")])
    /// `core#link`, the Kind every link Kind is related to.
    public static let link = OCCICategory(
        scheme: coreScheme, term: "link", class: .kind, title: "Link",
        rel: [coreScheme + "entity"], location: "/link/",
        attributes: [.init("occi.core.source", required: true), .init("occi.core.target", required: true)])
}
