/// A link from a resource to another entity (GFD.185 §3.5.2).
///
/// Rendered as `Link: <target>; rel="<target kinds>"; self="<link location>"; category="<kind> <mixins>"; name=value…`.
/// Action links (`<…?action=term>`) are not ``OCCILink``s in an entity: they are the entity's
/// ``OCCIEntity/actions``.
public struct OCCILink: Hashable, Sendable {
    /// The target's location, e.g. `/network/123`.
    public var target: String
    /// The target's Kind(s), as type identifiers (`rel`).
    public var targetKinds: [String]
    /// The location of the Link entity itself (`self`), if it has one.
    public var selfLocation: String?
    /// The Link's Kind followed by its Mixins, as type identifiers (`category`).
    public var categories: [String]
    /// The Link's attributes.
    public var attributes: OCCIAttributes

    public init(
        target: String, targetKinds: [String] = [], selfLocation: String? = nil,
        categories: [String] = [], attributes: OCCIAttributes = [:]
    ) {
        self.target = target
        self.targetKinds = targetKinds
        self.selfLocation = selfLocation
        self.categories = categories
        self.attributes = attributes
    }

    /// True for an action link: its target carries `?action=` and it has no `self` or `category`.
    public var isActionLink: Bool {
        selfLocation == nil && categories.isEmpty && target.contains("?action=")
    }
}
