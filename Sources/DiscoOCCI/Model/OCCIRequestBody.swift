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
