/// Renders OCCI models in every supported rendering, following the wire profile (occi-spec §11).
///
/// - `text/occi`: one header per structure (`Category`, `Link`, `X-OCCI-Location`, `X-OCCI-Attribute`)
///   with values joined by `, `; body `OK`.
/// - `text/plain` / `text/occi+plain`: the same structures as body lines `Name: value`, LF line
///   ends, a leading blank line (as pyssf; the occi-wg tests read line 1) and a final LF.
/// - `text/uri-list`: absolute URLs, CRLF line ends (RFC 2483).
/// - `application/occi+json`: the pyssf shape (keys sorted, 2-space indent); ``OCCIMediaType/json12``: GFD.225.
///
/// Categories are rendered `term; scheme="…"; class="…"; title="…"; rel="…"; location="<absolute>"; attributes="…"; actions="…"`,
/// every value quoted, empty parameters omitted, no trailing `;`. Attribute strings are quoted with
/// `"` and `\` escaped (and LF, CR, TAB, controls as `\n`, `\r`, `\t`, `\uXXXX`); numbers and bools bare.
/// Locations in `X-OCCI-Location`, `Location` and uri-lists are absolute, built from ``baseURL``.
///
/// ```swift
/// let renderer = OCCIRenderer(baseURL: "http://localhost:8888")
/// let type = try OCCINegotiation.negotiate(accept: request.accept)
/// let out = renderer.render(entity, as: type)
/// // respond(200, contentType: out.contentType, headers: out.headerPairs + [("Server", OCCI.serverHeader)], body: out.body)
/// ```
public struct OCCIRenderer: Sendable {
    /// `scheme://host[:port]` of this server, without trailing `/`.
    public var baseURL: String

    /// - Parameter baseURL: `scheme://host[:port]` built from the request scheme and `Host`.
    public init(baseURL: String) {
        self.baseURL = OCCIURL.normalize(baseURL: baseURL)
    }

    // MARK: - API

    /// Renders one entity (GET/POST/PUT responses).
    ///
    /// `text/uri-list` is not a rendering of an entity (GFD.185 wants 400, see
    /// ``OCCINegotiation/negotiate(accept:isListing:)``); asked anyway, it lists the entity's location.
    public func render(_ entity: OCCIEntity, as type: OCCIMediaType) -> OCCIRendering {
        switch type {
        case .textOCCI, .textPlain, .textOCCIPlain:
            var categories = [categoryString(entity.kind)]
            categories += entity.mixins.map(categoryString)
            let links = entity.actions.map { actionLinkString($0, location: entity.location) } + entity.links.map(linkString)
            let attributes = entity.attributes.map(attributeString)
            return text(type, [(.category, categories), (.link, links), (.attribute, attributes)])
        case .uriList:
            return uriList(entity.location.map { [$0] } ?? [])
        case .json:
            return json(type, OCCIJSONCodec.pyssfEntity(entity))
        case .json12:
            return json(type, OCCIJSONCodec.gfdEntity(entity, baseURL: baseURL))
        }
    }

    /// Renders a collection listing: `X-OCCI-Location` (text), URL lines (uri-list), an array of
    /// full entities (pyssf JSON) or `{"resources": […]}` (GFD.225). Entities without a location
    /// are left out of the text renderings.
    public func render(collection entities: [OCCIEntity], as type: OCCIMediaType) -> OCCIRendering {
        switch type {
        case .json: json(type, .array(entities.map(OCCIJSONCodec.pyssfEntity)))
        case .json12: json(type, .object([("resources", .array(entities.map { OCCIJSONCodec.gfdEntity($0, baseURL: baseURL) }))]))
        default: render(locations: entities.compactMap(\.location), as: type)
        }
    }

    /// Renders a listing of locations. JSON renderings give an array of absolute URLs (pyssf
    /// shape) or `{"resources": [{"location": …}]}` (GFD.225).
    public func render(locations: [String], as type: OCCIMediaType) -> OCCIRendering {
        let urls = locations.map { OCCIQuoting.uriSafe(OCCIURL.absolute($0, baseURL: baseURL)) }
        switch type {
        case .textOCCI, .textPlain, .textOCCIPlain: return text(type, [(.location, urls)])
        case .uriList: return uriList(locations)
        case .json: return json(type, .array(urls.map { JSONValue.string($0) }))
        case .json12: return json(type, .object([("resources", .array(urls.map { .object([("location", .string($0))]) }))]))
        }
    }

    /// Renders a query-interface response (`GET /-/`): every category in full.
    /// `text/uri-list` lists the categories' locations.
    public func render(categories: [OCCICategory], as type: OCCIMediaType) -> OCCIRendering {
        switch type {
        case .textOCCI, .textPlain, .textOCCIPlain: text(type, [(.category, categories.map(categoryString))])
        case .uriList: uriList(categories.compactMap(\.location))
        case .json: json(type, .array(categories.map(OCCIJSONCodec.pyssfCategory)))
        case .json12: json(type, OCCIJSONCodec.gfdCategories(categories, baseURL: baseURL))
        }
    }

    /// Renders an action invocation request: the action Category plus its attributes
    /// (JSON: `{"action": "<type id>", "attributes": {…}}` in both JSON renderings).
    /// Pair it with the query ``actionQuery(for:)``.
    public func render(action: OCCIActionInvocation, as type: OCCIMediaType) -> OCCIRendering {
        var category = action.action
        if category.categoryClass == nil { category.categoryClass = .action }
        switch type {
        case .textOCCI, .textPlain, .textOCCIPlain:
            return text(type, [(.category, [categoryString(category)]), (.attribute, action.attributes.map(attributeString))])
        case .uriList: return uriList([])
        case .json, .json12: return json(type, OCCIJSONCodec.gfdAction(action))
        }
    }

    /// `action=<term>`, the query string of an action invocation.
    public func actionQuery(for action: OCCIActionInvocation) -> String { "action=" + action.action.term }

    /// Renders the OCCI structures of a request (what a client sends): categories as given,
    /// links, attributes and locations. JSON renderings need a Kind among the categories
    /// (rendered as an entity); otherwise they render the categories.
    public func render(request: OCCIRequestBody, as type: OCCIMediaType) -> OCCIRendering {
        switch type {
        case .textOCCI, .textPlain, .textOCCIPlain:
            let links = request.actions.map { actionLinkString($0, location: nil) } + request.links.map(linkString)
            let urls = request.locations.map { OCCIQuoting.uriSafe(OCCIURL.absolute($0, baseURL: baseURL)) }
            return text(type, [
                (.category, request.categories.map(categoryString)), (.link, links),
                (.location, urls), (.attribute, request.attributes.map(attributeString)),
            ])
        case .uriList:
            return uriList(request.locations)
        case .json, .json12:
            if let entity = try? OCCIEntity(request: request) { return render(entity, as: type) }
            return render(categories: request.categories, as: type)
        }
    }

    /// A create response (201): `Location: <absolute URL>` and body `OK`
    /// (JSON renderings: `{"location": "<absolute URL>"}`).
    public func renderCreated(location: String, as type: OCCIMediaType) -> OCCIRendering {
        let url = OCCIQuoting.uriSafe(OCCIURL.absolute(location, baseURL: baseURL))
        var r = renderOK(as: type)
        r.headers = [OCCIHeaderField("Location", url)]
        if type.isJSON { r.body = JSONValue.object([("location", .string(url))]).rendered() + "\n" }
        return r
    }

    /// A success without payload (e.g. DELETE): body `OK` for text renderings, empty for uri-list, `{}` for JSON.
    public func renderOK(as type: OCCIMediaType) -> OCCIRendering {
        switch type {
        case .textOCCI, .textPlain, .textOCCIPlain: OCCIRendering(contentType: type.contentType, body: "OK")
        case .uriList: OCCIRendering(contentType: type.contentType, body: "")
        case .json, .json12: OCCIRendering(contentType: type.contentType, body: "{}\n")
        }
    }

    /// An error response body: `text/plain` with the message, plus an `X-OCCI-Error` header (as ooi).
    /// Use ``OCCIParseError/httpStatus`` for the status.
    public static func renderError(_ error: OCCIParseError) -> OCCIRendering { renderError(message: error.description) }

    /// An error response with a free-form message (CR/LF and controls are replaced in the header).
    public static func renderError(message: String) -> OCCIRendering {
        let header = String(message.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        return OCCIRendering(contentType: OCCIMediaType.textPlain.contentType,
            headers: [OCCIHeaderField("X-OCCI-Error", header)], body: message + "\n")
    }

    // MARK: - Structure strings

    /// The full `Category` value of a category.
    public func categoryString(_ c: OCCICategory) -> String {
        var s = c.term + "; scheme=" + OCCIQuoting.quote(c.scheme)
        if let cls = c.categoryClass { s += "; class=" + OCCIQuoting.quote(cls.rawValue) }
        if let title = c.title, !title.isEmpty { s += "; title=" + OCCIQuoting.quote(title) }
        if !c.rel.isEmpty { s += "; rel=" + OCCIQuoting.quote(c.rel.joined(separator: " ")) }
        if let location = c.location, !location.isEmpty {
            s += "; location=" + OCCIQuoting.quote(OCCIURL.absolute(location, baseURL: baseURL))
        }
        if !c.attributes.isEmpty {
            s += "; attributes=" + OCCIQuoting.quote(c.attributes.map(\.description).joined(separator: " "))
        }
        if !c.actions.isEmpty { s += "; actions=" + OCCIQuoting.quote(c.actions.joined(separator: " ")) }
        return s
    }

    /// `<location?action=term>; rel="<type id>"`.
    func actionLinkString(_ action: OCCICategory, location: String?) -> String {
        "<" + OCCIQuoting.uriSafe((location ?? "") + "?action=" + action.term) + ">; rel=" + OCCIQuoting.quote(action.typeIdentifier)
    }

    /// `<target>; rel="…"; self="…"; category="…"; name=value…`.
    func linkString(_ link: OCCILink) -> String {
        var s = "<" + OCCIQuoting.uriSafe(link.target) + ">"
        if !link.targetKinds.isEmpty { s += "; rel=" + OCCIQuoting.quote(link.targetKinds.joined(separator: " ")) }
        if let me = link.selfLocation { s += "; self=" + OCCIQuoting.quote(me) }
        if !link.categories.isEmpty { s += "; category=" + OCCIQuoting.quote(link.categories.joined(separator: " ")) }
        for (name, value) in link.attributes { s += "; " + name + "=" + value.description }
        return s
    }

    func attributeString(_ a: OCCIAttributes.Element) -> String { a.name + "=" + a.value.description }

    // MARK: - Assembly

    private func text(_ type: OCCIMediaType, _ fields: [(OCCIField, [String])]) -> OCCIRendering {
        if type == .textOCCI {
            let headers = fields.filter { !$0.1.isEmpty }.map { OCCIHeaderField($0.0.name, $0.1.joined(separator: ", ")) }
            return OCCIRendering(contentType: type.contentType, headers: headers, body: "OK")
        }
        var body = ""
        for (field, values) in fields {
            for value in values { body += "\n" + field.name + ": " + value }
        }
        if !body.isEmpty { body += "\n" }
        return OCCIRendering(contentType: type.contentType, body: body)
    }

    private func uriList(_ locations: [String]) -> OCCIRendering {
        let body = locations.map { OCCIQuoting.uriSafe(OCCIURL.absolute($0, baseURL: baseURL)) + "\r\n" }.joined()
        return OCCIRendering(contentType: OCCIMediaType.uriList.contentType, body: body)
    }

    private func json(_ type: OCCIMediaType, _ value: JSONValue) -> OCCIRendering {
        OCCIRendering(contentType: type.contentType, body: value.rendered() + "\n")
    }
}
