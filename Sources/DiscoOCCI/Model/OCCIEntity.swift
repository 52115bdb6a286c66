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

/// An action invocation: `POST <location>?action=<term>` with the action's Category and
/// optional attributes as parameters (GFD.185 §3.4.4, GFD.223 §10.3.2).
public struct OCCIActionInvocation: Hashable, Sendable {
    /// The action Category (usually only scheme and term are known).
    public var action: OCCICategory
    /// Action parameters.
    public var attributes: OCCIAttributes

    public init(action: OCCICategory, attributes: OCCIAttributes = [:]) {
        self.action = action
        self.attributes = attributes
    }
}

/// Everything the OCCI structures of one request carry, before the server interprets it.
///
/// Produced by ``OCCIParser/parseRequest(headers:body:contentType:)`` from any rendering.
/// Categories are in arrival order; a request may omit `class`, so use
/// ``OCCICategoryRegistry/classify(_:)`` to find the Kind and Mixins.
public struct OCCIRequestBody: Hashable, Sendable {
    /// `Category` values (create: the Kind and Mixins; action: the action; filter; mixin POST).
    public var categories: [OCCICategory]
    /// Entity links (`Link` values that are not action links).
    public var links: [OCCILink]
    /// Action links (`Link: <…?action=term>; rel="…"`), as action categories.
    public var actions: [OCCICategory]
    /// `X-OCCI-Attribute` values.
    public var attributes: OCCIAttributes
    /// `X-OCCI-Location` values (or uri-list lines), relativized against the parser's base URL.
    public var locations: [String]

    public init(
        categories: [OCCICategory] = [], links: [OCCILink] = [], actions: [OCCICategory] = [],
        attributes: OCCIAttributes = [:], locations: [String] = []
    ) {
        self.categories = categories
        self.links = links
        self.actions = actions
        self.attributes = attributes
        self.locations = locations
    }

    /// True when the request carried no OCCI structure at all.
    public var isEmpty: Bool {
        categories.isEmpty && links.isEmpty && actions.isEmpty && attributes.isEmpty && locations.isEmpty
    }
}
