import DiscoOCCI
import Testing

@Suite("Round trips: render → parse → equal, for every structure and rendering")
struct RoundTripTests {
    static let entity = OCCIEntity(
        kind: discoKind,
        mixins: [OCCICategory(scheme: "http://x#", term: "small", class: .mixin, title: "Small, \"cheap\"", rel: ["http://x#vm"], location: "/small/", attributes: [.init("s.size", required: true, immutable: true)])],
        attributes: ["occi.core.id": "/disco/42", "slavecount": "2", "inject": "{'spark': '','hadoop': ''}", "n": 3.25, "flag": false, "key": "-----BEGIN\nKEY\n-----", "hash": "http://x#y"],
        links: [OCCILink(target: "/net/1", targetKinds: ["http://x#network"], selfLocation: "/link/1", categories: ["http://x#nic", "http://x#ipnic"], attributes: ["ip": "10.0.0.1", "mtu": 1500, "up": true, "note": "a; b, c=\"d\""])],
        actions: [OCCICategory(scheme: "http://x/action#", term: "suspend", class: .action)],
        location: "/disco/42")

    @Test("Entity", arguments: entityRenderings)
    func entityRoundTrip(type: OCCIMediaType) throws {
        let r = renderer.render(Self.entity, as: type)
        for joined in [false, true] {
            let back = try parser.parseEntity(headers: headers(of: r, joined: joined), body: r.body, contentType: r.contentType, location: "/disco/42")
            #expect(back == expectedEntity(Self.entity, after: type))
        }
        // Rendering what was parsed gives the same bytes.
        let again = try parser.parseEntity(headers: r.headerPairs, body: r.body, contentType: r.contentType, location: "/disco/42")
        #expect(renderer.render(again, as: type) == r)
    }

    @Test("pyssf JSON recovers the entity location from its action links")
    func pyssfLocation() throws {
        let r = renderer.render(Self.entity, as: .json)
        #expect(try parser.parseEntity(headers: [], body: r.body, contentType: r.contentType).location == "/disco/42")
    }

    static let categories: [OCCICategory] = [.entity, .resource, .link, discoKind, fast, start,
        OCCICategory(scheme: "http://x#", term: "bare", title: "no class")]

    @Test("Query interface", arguments: entityRenderings)
    func categoriesRoundTrip(type: OCCIMediaType) throws {
        let r = renderer.render(categories: Self.categories, as: type)
        let back = try parser.parseCategories(headers: r.headerPairs, body: r.body, contentType: r.contentType)
        #expect(back == expectedCategories(Self.categories, after: type))
    }

    @Test("Collections and locations", arguments: OCCIMediaType.allCases)
    func locationsRoundTrip(type: OCCIMediaType) throws {
        let locations = ["/disco/1", "/disco/2?x=1", "/a/b-c_d.e~f", "http://elsewhere.example/x"]
        let r = renderer.render(locations: locations, as: type)
        #expect(try parser.parseLocations(headers: r.headerPairs, body: r.body, contentType: r.contentType) == locations)
        if type != .json && type != .json12 {
            let c = renderer.render(collection: locations.map { OCCIEntity(kind: discoKind, location: $0) }, as: type)
            #expect(try parser.parseLocations(headers: c.headerPairs, body: c.body, contentType: c.contentType) == locations)
        }
    }

    @Test("Action invocation", arguments: entityRenderings)
    func actionRoundTrip(type: OCCIMediaType) throws {
        let a = OCCIActionInvocation(action: OCCICategory(scheme: "http://x/action#", term: "stop", class: .action), attributes: ["method": "poweroff", "force": true, "delay": 5])
        let r = renderer.render(action: a, as: type)
        let back = try parser.parseActionInvocation(query: renderer.actionQuery(for: a), headers: r.headerPairs, body: r.body, contentType: r.contentType)
        #expect(back == a)
    }

    @Test("Request bodies (what hurtle-style clients send)", arguments: [OCCIMediaType.textOCCI, .textPlain])
    func requestRoundTrip(type: OCCIMediaType) throws {
        let request = OCCIRequestBody(
            categories: [OCCICategory(scheme: "http://schemas.cloudcomplab.ch/occi/sm#", term: "disco"), fast],
            links: Self.entity.links, actions: [start],
            attributes: Self.entity.attributes, locations: ["/disco/1", "/disco/2"])
        let r = renderer.render(request: request, as: type)
        #expect(try parseBack(r) == request)
        #expect(try parseBack(r, joinHeaders: true) == request)
    }

    @Test("Attribute values of every type survive every rendering", arguments: entityRenderings)
    func values(type: OCCIMediaType) throws {
        let values: [OCCIAttributeValue] = ["", " ", "\"", "\\", "\\\"", "a,b", "a;b", "a=b", "#x", "{'a': ''}", "é日本😀", "\u{0}\u{7F}\r\n\t",
            "true", "2", 0, -0.5, 1e-9, 123456789012345, 1e300, true, false]
        var attributes = OCCIAttributes()
        for (i, v) in values.enumerated() { attributes["v\(i)"] = v }
        let e = OCCIEntity(kind: discoKind, attributes: attributes, location: "/d/1")
        let r = renderer.render(e, as: type)
        #expect(try parser.parseEntity(headers: r.headerPairs, body: r.body, contentType: r.contentType, location: "/d/1").attributes == attributes)
    }
}
