/// An OCCI entity (a resource or a link entity) as rendered in a single-entity response.
///
/// ```swift
/// var e = OCCIEntity(kind: disco, location: "/disco/42")
/// e.attributes["icclab.disco.components.heat.slavecount"] = "2"
/// let r = OCCIRenderer(baseURL: "http://localhost:8888").render(e, as: .textOCCI)
/// ```
public struct OCCIEntity: Hashable, Sendable {
    /// The entity's Kind (rendered in full).
    public var kind: OCCICategory
    /// The entity's Mixins (rendered in full).
    public var mixins: [OCCICategory]
    /// The attributes, in rendering order.
    public var attributes: OCCIAttributes
    /// Outgoing links to other entities.
    public var links: [OCCILink]
    /// The currently applicable actions, rendered as action links `<location?action=term>`.
    /// Text renderings carry only each action's type identifier.
    public var actions: [OCCICategory]
    /// The entity's location (path such as `/disco/<uuid>`). Renderings do not carry it except
    /// inside action links; parsers take it from the caller.
    public var location: String?

    public init(
        kind: OCCICategory, mixins: [OCCICategory] = [], attributes: OCCIAttributes = [:],
        links: [OCCILink] = [], actions: [OCCICategory] = [], location: String? = nil
    ) {
        self.kind = kind
        self.mixins = mixins
        self.attributes = attributes
        self.links = links
        self.actions = actions
        self.location = location
    }
}
