import DiscoOCCI
import Testing

/// The DISCO kind as the original service registered it (disco-spec §2.4), trimmed to two attributes.
let discoKind = OCCICategory(
    scheme: "http://schemas.cloudcomplab.ch/occi/sm#", term: "disco", class: .kind,
    title: "DISCO: Hadoop as a service", rel: ["http://schemas.ogf.org/occi/core#resource"], location: "/disco/",
    attributes: [.init("icclab.disco.components.heat.slavecount"), .init("icclab.disco.dependencies.inject")])

let discoKindLine = #"disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind"; title="DISCO: Hadoop as a service"; rel="http://schemas.ogf.org/occi/core#resource"; location="http://localhost:8888/disco/"; attributes="icclab.disco.components.heat.slavecount icclab.disco.dependencies.inject""#

let sampleEntity = OCCIEntity(
    kind: discoKind,
    attributes: [
        "occi.core.id": "/disco/42", "stack_status": "CREATE_COMPLETE", "workers": 2, "ok": true,
        "inject": "{'spark': '', \"x\": 1}",
    ],
    links: [OCCILink(target: "/network/1", targetKinds: ["http://x#network"], selfLocation: "/link/1", categories: ["http://x#nic"], attributes: ["mtu": 1500])],
    actions: [OCCICategory(scheme: "http://x/action#", term: "suspend", class: .action)],
    location: "/disco/42")

@Suite("Rendering follows the wire profile (occi-spec §11) exactly")
struct RenderingTests {
    @Test("Category order, quoting, absolute location, no trailing ';'")
    func categoryLine() {
        #expect(renderer.categoryString(discoKind) == discoKindLine)
        let both = OCCICategory(scheme: "http://s#", term: "t", class: .mixin, title: "", attributes: [.init("a", required: true, immutable: true)], actions: ["http://s/a#x", "http://s/a#y"])
        #expect(renderer.categoryString(both) == #"t; scheme="http://s#"; class="mixin"; attributes="a{immutable required}"; actions="http://s/a#x http://s/a#y""#)
    }

    @Test("text/occi entity: one header per structure, values joined by ', ', body OK")
    func textOCCIEntity() {
        let r = renderer.render(sampleEntity, as: .textOCCI)
        #expect(r.contentType == "text/occi")
        #expect(r.body == "OK")
        #expect(r.headers == [
            OCCIHeaderField("Category", discoKindLine),
            OCCIHeaderField("Link", #"</disco/42?action=suspend>; rel="http://x/action#suspend", </network/1>; rel="http://x#network"; self="/link/1"; category="http://x#nic"; mtu=1500"#),
            OCCIHeaderField("X-OCCI-Attribute", #"occi.core.id="/disco/42", stack_status="CREATE_COMPLETE", workers=2, ok=true, inject="{'spark': '', \"x\": 1}""#),
        ])
    }

    @Test("text/plain entity: Kind, Links, attributes, one per line, leading blank line")
    func textPlainEntity() {
        let r = renderer.render(sampleEntity, as: .textPlain)
        #expect(r.contentType == "text/plain")
        #expect(r.headers.isEmpty)
        #expect(r.body == """

            Category: \(discoKindLine)
            Link: </disco/42?action=suspend>; rel="http://x/action#suspend"
            Link: </network/1>; rel="http://x#network"; self="/link/1"; category="http://x#nic"; mtu=1500
            X-OCCI-Attribute: occi.core.id="/disco/42"
            X-OCCI-Attribute: stack_status="CREATE_COMPLETE"
            X-OCCI-Attribute: workers=2
            X-OCCI-Attribute: ok=true
            X-OCCI-Attribute: inject="{'spark': '', \\"x\\": 1}"

            """)
    }

    @Test("pyssf JSON entity: sorted keys, 2-space indent, 'muttable', relative location")
    func pyssfJSONEntity() {
        var e = OCCIEntity(kind: discoKind, attributes: ["b": "x\ny", "a": 1.5], location: "/disco/42")
        e.kind.attributes = [.init("z", immutable: true), .init("y", required: true), .init("x")]
        e.actions = [OCCICategory(scheme: "http://x/action#", term: "go", class: .action, title: "Go")]
        let r = renderer.render(e, as: .json)
        #expect(r.contentType == "application/occi+json")
        #expect(r.body == """
            {
              "actions": [
                {
                  "kind": {
                    "scheme": "http://x/action#",
                    "term": "go",
                    "title": "Go"
                  },
                  "link": "/disco/42?action=go"
                }
              ],
              "attributes": {
                "a": 1.5,
                "b": "x\\ny"
              },
              "kind": {
                "attributes": {
                  "x": "muttable",
                  "y": "required",
                  "z": "immutable"
                },
                "location": "/disco/",
                "related": [
                  "http://schemas.ogf.org/occi/core#resource"
                ],
                "scheme": "http://schemas.cloudcomplab.ch/occi/sm#",
                "term": "disco",
                "title": "DISCO: Hadoop as a service"
              },
              "links": [],
              "mixins": []
            }

            """)
    }

    @Test("GFD.225 entity and query interface")
    func gfd225() {
        let r = renderer.render(OCCIEntity(kind: discoKind, attributes: ["occi.core.id": "42", "n": 3], location: "/disco/42"), as: .json12)
        #expect(r.contentType == "application/occi+json; version=1.2")
        #expect(r.body == """
            {
              "kind": "http://schemas.cloudcomplab.ch/occi/sm#disco",
              "attributes": {
                "occi.core.id": "42",
                "n": 3
              },
              "id": "42",
              "location": "http://localhost:8888/disco/42"
            }

            """)
        let q = renderer.render(categories: [OCCICategory(scheme: "http://s#", term: "m", class: .mixin, rel: ["http://s#k"])], as: .json12)
        #expect(q.body.contains(#""mixins": ["#) && q.body.contains(#""depends": ["#) && !q.body.contains("kinds"))
    }

    @Test("Collections: X-OCCI-Location, text/plain lines, uri-list, pyssf array")
    func collections() {
        let entities = [OCCIEntity(kind: discoKind, location: "/disco/1"), OCCIEntity(kind: discoKind, location: "/disco/2")]
        let occi = renderer.render(collection: entities, as: .textOCCI)
        #expect(occi.headers == [OCCIHeaderField("X-OCCI-Location", "http://localhost:8888/disco/1, http://localhost:8888/disco/2")])
        #expect(occi.body == "OK")
        #expect(renderer.render(collection: entities, as: .textPlain).body
            == "\nX-OCCI-Location: http://localhost:8888/disco/1\nX-OCCI-Location: http://localhost:8888/disco/2\n")
        #expect(renderer.render(collection: entities, as: .uriList).body == "http://localhost:8888/disco/1\r\nhttp://localhost:8888/disco/2\r\n")
        let json = renderer.render(collection: entities, as: .json)
        #expect(json.body.hasPrefix("[\n  {\n    \"actions\": []"))
        // Empty collection: no header, empty body (pyssf), empty JSON array.
        #expect(renderer.render(collection: [], as: .textOCCI).headers.isEmpty)
        #expect(renderer.render(collection: [], as: .textPlain).body == "")
        #expect(renderer.render(collection: [], as: .json).body == "[]\n")
    }

    @Test("Query interface in text/occi: one Category header")
    func queryInterface() {
        let r = renderer.render(categories: [OCCICategory.link, discoKind], as: .textOCCI)
        #expect(r.headers.count == 1)
        #expect(r.header("category") == renderer.categoryString(.link) + ", " + discoKindLine)
        #expect(renderer.render(categories: [discoKind], as: .uriList).body == "http://localhost:8888/disco/\r\n")
    }

    @Test("Values that would break a header are escaped; commas in locations are percent-encoded")
    func escaping() {
        let r = renderer.render(OCCIEntity(kind: discoKind, attributes: ["k": "a\"b\\c\nd\re\tf\u{1}"]), as: .textOCCI)
        #expect(r.header("X-OCCI-Attribute") == #"k="a\"b\\c\nd\re\tf\u0001""#)
        #expect(renderer.render(locations: ["/a,b/c d"], as: .textOCCI).header("X-OCCI-Location") == "http://localhost:8888/a%2Cb/c%20d")
        #expect(OCCIAttributeValue.number(1e21).description == "1000000000000000000000")
        #expect(OCCIAttributeValue.number(1.5e-7).description == "0.00000015")
        #expect(OCCIAttributeValue.number(-0.25).description == "-0.25")
        #expect(OCCIAttributeValue.number(.nan).description == "\"nan\"")
    }

    @Test("Create, OK and error responses; Server header")
    func responses() {
        let created = renderer.renderCreated(location: "/disco/42", as: .textPlain)
        #expect(created.headers == [OCCIHeaderField("Location", "http://localhost:8888/disco/42")])
        #expect(created.body == "OK")
        #expect(renderer.renderCreated(location: "/disco/42", as: .json).body == "{\n  \"location\": \"http://localhost:8888/disco/42\"\n}\n")
        #expect(renderer.renderOK(as: .textOCCI).body == "OK")
        let error = OCCIParseError(.malformedAttribute, "expected name=value", field: "X-OCCI-Attribute", offset: 3, excerpt: "bad\nvalue")
        let e = OCCIRenderer.renderError(error)
        #expect(e.contentType == "text/plain")
        #expect(e.body == "X-OCCI-Attribute (offset 3): expected name=value near \"bad?value\"\n")
        #expect(e.header("X-OCCI-Error") == "X-OCCI-Attribute (offset 3): expected name=value near \"bad?value\"")
        #expect(OCCI.serverHeader == "DISCO/\(OCCI.discoVersion) OCCI/1.1")
    }

    @Test("Action invocation request rendering")
    func actionRendering() {
        let a = OCCIActionInvocation(action: OCCICategory(scheme: "http://x/action#", term: "stop"), attributes: ["method": "poweroff"])
        let r = renderer.render(action: a, as: .textOCCI)
        #expect(renderer.actionQuery(for: a) == "action=stop")
        #expect(r.headerPairs.map { "\($0.0): \($0.1)" } == [#"Category: stop; scheme="http://x/action#"; class="action""#, #"X-OCCI-Attribute: method="poweroff""#])
        #expect(renderer.render(action: a, as: .json12).body == "{\n  \"action\": \"http://x/action#stop\",\n  \"attributes\": {\n    \"method\": \"poweroff\"\n  }\n}\n")
    }
}
