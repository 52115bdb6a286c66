import DiscoOCCI
import Testing

@Suite("Text grammar (GFD.185 §3.5 and the lenient input of occi-spec §11)")
struct GrammarTests {
    // MARK: Category

    @Test("GFD.185 §3.5.1 one-line storage Category")
    func gfd185StorageCategory() throws {
        let value = #"storage; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind"; title="Storage Resource"; rel="http://schemas.ogf.org/occi/core#resource"; location="/storage/"; attributes="occi.storage.size{required} occi.storage.state{immutable}"; actions="http://schemas.ogf.org/occi/infrastructure/storage/action#resize""#
        let c = try #require(try parser.parseCategoryHeader(value).first)
        #expect(c.term == "storage")
        #expect(c.scheme == "http://schemas.ogf.org/occi/infrastructure#")
        #expect(c.categoryClass == .kind)
        #expect(c.title == "Storage Resource")
        #expect(c.rel == ["http://schemas.ogf.org/occi/core#resource"])
        #expect(c.location == "/storage/")
        #expect(c.attributes == [.init("occi.storage.size", required: true), .init("occi.storage.state", immutable: true)])
        #expect(c.actions == ["http://schemas.ogf.org/occi/infrastructure/storage/action#resize"])
        // And it renders back byte-identically (location made absolute).
        #expect(renderer.categoryString(c) == value.replacingOccurrences("\"/storage/\"", with: "\"\(base)/storage/\""))
    }

    static let minimalForms: [(String, OCCICategoryClass?)] = [
        (#"compute;scheme="http://schemas.ogf.org/occi/infrastructure#""#, nil),  // occi-wg test: no space, no class
        (#"compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class=kind"#, .kind),  // unquoted class
        (#"compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind";"#, .kind),  // trailing ;
        (#"compute ;scheme = "http://schemas.ogf.org/occi/infrastructure#" ;CLASS="Kind" ; ;"#, .kind),  // odd spacing, case
        (#"compute; scheme=http://schemas.ogf.org/occi/infrastructure#; class="mixin""#, .mixin),  // unquoted scheme
        (#"compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; foo="bar, baz"; class="action""#, .action),  // unknown param
    ]

    @Test("Lenient Category forms", arguments: minimalForms)
    func minimalCategory(value: String, cls: OCCICategoryClass?) throws {
        let cs = try parser.parseCategoryHeader(value)
        #expect(cs.count == 1)
        #expect(cs[0].term == "compute")
        #expect(cs[0].scheme == "http://schemas.ogf.org/occi/infrastructure#")
        #expect(cs[0].categoryClass == cls)
    }

    @Test("Quoted commas, semicolons and escapes in a title do not split")
    func quotedTitle() throws {
        let cs = try parser.parseCategoryHeader(#"a; scheme="http://x#"; title="one, two; \"three\" \\ four", b; scheme="http://y#""#)
        #expect(cs.map(\.term) == ["a", "b"])
        #expect(cs[0].title == #"one, two; "three" \ four"#)
    }

    @Test("The README create request of the original DISCO parses")
    func readmeCreateRequest() throws {
        let attributes = [
            #"icclab.disco.components.heat.networkname="disconetwork-ABCDEFGH""#,
            #"icclab.disco.components.heat.externalnetworkname="ext-net""#,
            #"icclab.disco.components.heat.masterimage="<ID of master image>""#,
            #"icclab.disco.components.heat.slaveimage="ubuntu-16.04""#,
            #"icclab.disco.components.heat.masterflavor="<ID of master's flavor>""#,
            #"icclab.disco.components.heat.slaveflavor="m1.small""#,
            #"icclab.disco.components.heat.slavecount="2""#,
            #"icclab.disco.deployer.username="$OS_USERNAME""#,
            #"icclab.disco.deployer.password="p#ss=w,rd""#,
            #"icclab.disco.deployer.region="RegionOne""#,
            #"icclab.disco.dependencies.inject="{'spark': '','hadoop': ''}""#,
        ].joined(separator: ",") + ","  // the dashboard leaves a trailing comma
        let headers: [(String, String)] = [
            ("Category", #"disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";"#),
            ("Content-type", "text/occi"),
            ("X-Tenant-Name", "demo"),
            ("X-Auth-Token", "abc"),
            ("X-OCCI-Attribute", attributes),
        ]
        let request = try parser.parseRequest(headers: headers, body: "", contentType: "text/occi")
        #expect(request.categories == [OCCICategory(scheme: "http://schemas.cloudcomplab.ch/occi/sm#", term: "disco", class: .kind)])
        #expect(request.attributes.count == 11)
        #expect(request.attributes["icclab.disco.components.heat.slavecount"] == .string("2"))
        #expect(request.attributes["icclab.disco.dependencies.inject"] == .string("{'spark': '','hadoop': ''}"))
        #expect(request.attributes["icclab.disco.components.heat.masterflavor"] == .string("<ID of master's flavor>"))
        #expect(request.attributes["icclab.disco.deployer.password"] == .string("p#ss=w,rd"))
        #expect(request.attributes.orderedNames.first == "icclab.disco.components.heat.networkname")
        #expect(request.attributes.orderedNames.last == "icclab.disco.dependencies.inject")
        // The same request with lower-case header names and no Content-Type parses the same.
        let lower = headers.filter { $0.0 != "Content-type" }.map { ($0.0.lowercased(), $0.1) }
        #expect(try parser.parseRequest(headers: lower, body: "", contentType: nil) == request)
    }

    // MARK: X-OCCI-Attribute

    static let attributeVectors: [(String, String, OCCIAttributeValue)] = [
        ("occi.compute.cores=2", "occi.compute.cores", .number(2)),  // GFD.185 §3.5.4
        (#"occi.compute.hostname="testserver""#, "occi.compute.hostname", .string("testserver")),  // GFD.185 §3.5.4
        ("occi.compute.hostname=foobar", "occi.compute.hostname", .string("foobar")),  // GFD.185 §3.6.6 slip: bare word
        ("occi.compute.speed=2.33", "occi.compute.speed", .number(2.33)),
        ("occi.compute.memory=2.0", "occi.compute.memory", .number(2)),
        ("x=.5", "x", .number(0.5)),
        ("x=-3", "x", .number(-3)),
        ("x=true", "x", .bool(true)),
        ("x=false", "x", .bool(false)),
        (#"x="true""#, "x", .string("true")),
        (#"x="2""#, "x", .string("2")),
        ("x=True", "x", .string("True")),
        (#"foo= "some stuff""#, "foo", .string("some stuff")),  // pyssf test
        (#"foo="foo=bar""#, "foo", .string("foo=bar")),  // pyssf test: '=' inside
        ("b=http://x#y", "b", .string("http://x#y")),  // '#' is not a comment
        (#"b="http://x#y""#, "b", .string("http://x#y")),
        (#"t="say \"hi\" \\o/""#, "t", .string(#"say "hi" \o/"#)),  // escaped quote and backslash
        (#"t="line1\nline2\ttab\u0041""#, "t", .string("line1\nline2\ttabA")),
        (#"t="\x""#, "t", .string("x")),  // RFC quoted-pair
        ("x=", "x", .string("")),
        (#"x="""#, "x", .string("")),
        ("x=1.2.3", "x", .string("1.2.3")),
        ("x = 7 ", "x", .number(7)),
        ("a_b-c.D9=1e3", "a_b-c.D9", .number(1000)),
    ]

    @Test("Attribute value typing", arguments: attributeVectors)
    func attributeValue(header: String, name: String, value: OCCIAttributeValue) throws {
        let a = try parser.parseAttributeHeader(header)
        #expect(a.count == 1)
        #expect(a[name] == value)
    }

    @Test("The occi-wg quote-escaping vector keeps memory at 3.6")
    func occiWGEscaping() throws {
        let a = try parser.parseAttributeHeader(#"occi.compute.memory=3.6, occi.core.title="How's your quotes escaping? \", occi.compute.memory=1.0""#)
        #expect(a["occi.compute.memory"] == .number(3.6))
        #expect(a["occi.core.title"] == .string(#"How's your quotes escaping? ", occi.compute.memory=1.0"#))
        #expect(a.count == 2)
    }

    @Test("pyssf's shlex '#' comment bug is not copied")
    func hashIsNotAComment() throws {
        let a = try parser.parseAttributeHeader("b=http://x#y, c=3")
        #expect(a["b"] == .string("http://x#y"))
        #expect(a["c"] == .number(3))
    }

    static let equivalentHeaderSets: [[(String, String)]] = [
        [("X-OCCI-Attribute", "occi.compute.memory=2.0, occi.compute.speed=2.33")],
        [("X-OCCI-Attribute", "occi.compute.memory=2.0"), ("X-OCCI-Attribute", "occi.compute.speed=2.33")],
        [("x-occi-attribute", "occi.compute.memory=2.0,occi.compute.speed=2.33")],
        [("X-OCCI-ATTRIBUTE", " occi.compute.memory=2.0 ,, "), ("X-Occi-Attribute", "occi.compute.speed=2.33,")],
    ]

    @Test("GFD.185: repeated headers and comma lists are identical", arguments: equivalentHeaderSets)
    func repeatedEqualsJoined(headers: [(String, String)]) throws {
        let r = try parser.parseRequest(headers: headers, body: "", contentType: "text/occi")
        #expect(r.attributes == ["occi.compute.memory": 2.0, "occi.compute.speed": 2.33])
        #expect(r.attributes.orderedNames == ["occi.compute.memory", "occi.compute.speed"])
    }

    @Test("URLSession-joined headers parse like repeated ones (quoted commas and links included)")
    func urlSessionJoin() throws {
        let repeated: [(String, String)] = [
            ("Category", #"a; scheme="http://x#"; title="t, u""#),
            ("Category", #"b; scheme="http://x#""#),
            ("Link", #"</n/1,2>; rel="http://x#n"; self="/l/1"; category="http://x#l"; k="v, w""#),
            ("Link", #"</c/1?action=start>; rel="http://x/action#start""#),
            ("X-OCCI-Attribute", #"k="a, b""#),
            ("X-OCCI-Attribute", "n=1"),
            ("X-OCCI-Location", "http://localhost:8888/c/1"),
            ("X-OCCI-Location", "/c/2"),
        ]
        var joined: [(String, String)] = []
        for (name, value) in repeated {
            if let i = joined.firstIndex(where: { $0.0 == name }) { joined[i].1 += ", " + value } else { joined.append((name, value)) }
        }
        let a = try parser.parseRequest(headers: repeated, body: "", contentType: "text/occi")
        let b = try parser.parseRequest(headers: joined, body: "", contentType: "text/occi")
        #expect(a == b)
        #expect(a.categories.map(\.term) == ["a", "b"])
        #expect(a.categories[0].title == "t, u")
        #expect(a.links == [OCCILink(target: "/n/1,2", targetKinds: ["http://x#n"], selfLocation: "/l/1", categories: ["http://x#l"], attributes: ["k": "v, w"])])
        #expect(a.actions == [OCCICategory(scheme: "http://x/action#", term: "start", class: .action)])
        #expect(a.attributes == ["k": "a, b", "n": 1])
        #expect(a.locations == ["/c/1", "/c/2"])
    }

    // MARK: Link

    @Test("GFD.185 §3.5.2 entity link and §3.5.3 action link")
    func gfd185Links() throws {
        let (links, actions) = try parser.parseLinkHeader(
            #"</network/123>; rel="http://schemas.ogf.org/occi/infrastructure#network"; self="/link/networkinterface/456"; category="http://schemas.ogf.org/occi/infrastructure#networkinterface"; occi.networkinterface.interface="eth0"; occi.networkinterface.mtu=1500, </compute/123?action=start>; rel="http://schemas.ogf.org/occi/infrastructure/compute/action#start""#)
        #expect(links == [OCCILink(
            target: "/network/123", targetKinds: ["http://schemas.ogf.org/occi/infrastructure#network"],
            selfLocation: "/link/networkinterface/456",
            categories: ["http://schemas.ogf.org/occi/infrastructure#networkinterface"],
            attributes: ["occi.networkinterface.interface": "eth0", "occi.networkinterface.mtu": 1500])])
        #expect(actions == [OCCICategory(scheme: "http://schemas.ogf.org/occi/infrastructure/compute/action#", term: "start", class: .action)])
    }

    // MARK: X-OCCI-Location and text/plain

    @Test("X-OCCI-Location lists are split and relativized")
    func locations() throws {
        let l = try parser.parseLocationHeader("http://localhost:8888/compute/123, /compute/456,http://other:1/x")
        #expect(l == ["/compute/123", "/compute/456", "http://other:1/x"])
    }

    static let bodies: [String] = [
        "Category: compute; scheme=\"http://s#\"; class=\"kind\"\nX-OCCI-Attribute: a=1\nX-OCCI-Attribute: b=\"x, y\"\n",
        "\r\nCategory: compute; scheme=\"http://s#\"; class=\"kind\"\r\nX-OCCI-Attribute: a=1, b=\"x, y\"\r\n",
        "category:compute;scheme=\"http://s#\";class=kind\nx-occi-attribute:a=1\nX-OCCI-ATTRIBUTE:   b=\"x, y\"",
        "OK\n  Category : compute; scheme=\"http://s#\"; class=\"kind\"\n\nX-Something: ignored\nX-OCCI-Attribute: a=1,b=\"x, y\"\n",
    ]

    @Test("text/plain bodies: LF or CRLF, any case, optional spaces, other lines ignored", arguments: bodies)
    func textPlainBody(body: String) throws {
        let r = try parser.parseRequest(headers: [], body: body, contentType: "text/plain; charset=utf-8")
        #expect(r.categories == [OCCICategory(scheme: "http://s#", term: "compute", class: .kind)])
        #expect(r.attributes == ["a": 1, "b": "x, y"])
    }

    @Test("Without Content-Type, headers are read and the body too when it looks like text/plain OCCI")
    func absentContentType() throws {
        let r = try parser.parseRequest(headers: [("Category", #"disco; scheme="http://s#""#)],
            body: "X-OCCI-Attribute: a=\"1\"\n", contentType: nil)
        #expect(r.categories.map(\.term) == ["disco"])
        #expect(r.attributes == ["a": "1"])
        let ignored = try parser.parseRequest(headers: [], body: "just some text: here\n", contentType: nil)
        #expect(ignored.isEmpty)
    }

    @Test("text/occi ignores the body; text/plain falls back to headers only when the body has no OCCI lines")
    func inputSelection() throws {
        let h: [(String, String)] = [("X-OCCI-Attribute", "h=1")]
        #expect(try parser.parseRequest(headers: h, body: "X-OCCI-Attribute: b=1", contentType: "text/occi").attributes == ["h": 1])
        #expect(try parser.parseRequest(headers: h, body: "X-OCCI-Attribute: b=1", contentType: "text/plain").attributes == ["b": 1])
        #expect(try parser.parseRequest(headers: h, body: "OK", contentType: "text/plain").attributes == ["h": 1])
    }

    @Test("text/uri-list: comments and blank lines skipped, CRLF or LF")
    func uriList() throws {
        let r = try parser.parseLocations(headers: [], body: "# uri:/compute/\r\nhttp://localhost:8888/compute/1\r\n\n/compute/2\n", contentType: "text/uri-list")
        #expect(r == ["/compute/1", "/compute/2"])
    }

    // MARK: Actions

    @Test("Action invocation: ?action=term plus the action Category and parameters (GFD.185 §3.4.4)")
    func actionInvocation() throws {
        let a = try parser.parseActionInvocation(query: "action=stop",
            headers: [("Category", #"stop; scheme="http://schemas.ogf.org/occi/infrastructure/compute/action#"; class="action""#),
                      ("X-OCCI-Attribute", #"method="poweroff""#)],
            body: "", contentType: "text/occi")
        #expect(a.action.typeIdentifier == "http://schemas.ogf.org/occi/infrastructure/compute/action#stop")
        #expect(a.attributes == ["method": "poweroff"])
        // hurtle style: no class, query with a leading '?'
        let b = try parser.parseActionInvocation(query: "?action=deploy",
            headers: [("Category", #"deploy; scheme="http://schemas.mobile-cloud-networking.eu/occi/service#""#)], body: "", contentType: nil)
        #expect(b.action.categoryClass == .action)
        #expect(OCCIParser.actionTerm(inQuery: "x=1&action=st%61rt") == "start")
        #expect(OCCIParser.actionTerm(inQuery: "x=1") == nil)
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
