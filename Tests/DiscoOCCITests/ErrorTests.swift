import DiscoOCCI
import Testing

struct BadInput: Sendable, CustomTestStringConvertible {
    var headers: [(String, String)] = []
    var body = ""
    var contentType: String? = "text/occi"
    var code: OCCIParseError.Code
    var field: String?
    var line: Int? = nil
    var offset: Int? = nil
    var mentions: String
    var testDescription: String { "\(code) \(field ?? "")" }
}

@Suite("Typed parse errors say what and where, and map to one HTTP status")
struct ErrorTests {
    static let cases: [BadInput] = [
        BadInput(headers: [("X-OCCI-Attribute", "a=1, novalue")], code: .malformedAttribute, field: "X-OCCI-Attribute", offset: 5, mentions: "expected name=value"),
        BadInput(headers: [("X-OCCI-Attribute", #"a="unterminated, b=2"#)], code: .unterminatedQuote, field: "X-OCCI-Attribute", offset: 2, mentions: "unterminated quoted string"),
        BadInput(headers: [("X-OCCI-Attribute", #"a="x"y"#)], code: .malformedAttribute, field: "X-OCCI-Attribute", offset: 5, mentions: "after the quoted value"),
        BadInput(headers: [("X-OCCI-Attribute", "bad name=1")], code: .malformedAttribute, field: "X-OCCI-Attribute", offset: 0, mentions: "invalid attribute name"),
        BadInput(headers: [("X-OCCI-Attribute", "=1")], code: .malformedAttribute, field: "X-OCCI-Attribute", offset: 0, mentions: "missing attribute name"),
        BadInput(headers: [("Category", #"compute; class="kind""#)], code: .malformedCategory, field: "Category", offset: 0, mentions: "missing scheme"),
        BadInput(headers: [("Category", #"compute; scheme="http://x""#)], code: .malformedCategory, field: "Category", offset: 0, mentions: "must end with '#'"),
        BadInput(headers: [("Category", #"; scheme="http://x#""#)], code: .malformedCategory, field: "Category", mentions: "missing term"),
        BadInput(headers: [("Category", #"com pute; scheme="http://x#""#)], code: .malformedCategory, field: "Category", offset: 0, mentions: "invalid term"),
        BadInput(headers: [("Category", #"c; scheme"#)], code: .malformedCategory, field: "Category", offset: 3, mentions: "has no value"),
        BadInput(headers: [("Category", #"c; scheme="http://x#"; attributes="a{required""#)], code: .unterminatedQuote, field: "Category", mentions: "'{' without '}'"),
        BadInput(headers: [("Link", "/no/angle; rel=\"x\"")], code: .malformedLink, field: "Link", offset: 0, mentions: "expected '<'"),
        BadInput(headers: [("Link", "</open; rel=\"x\"")], code: .unterminatedQuote, field: "Link", offset: 0, mentions: "'<' without '>'"),
        BadInput(headers: [("X-OCCI-Location", "/a b")], code: .malformedLocation, field: "X-OCCI-Location", offset: 2, mentions: "whitespace"),
        BadInput(body: "OK\nCategory: c; scheme=\"http://x#\"\nX-OCCI-Attribute: a=1, oops\n", contentType: "text/plain", code: .malformedAttribute, field: "X-OCCI-Attribute", line: 3, offset: 23, mentions: "expected name=value"),
        BadInput(body: "Category: c; scheme=\"http://x#\r\n", contentType: "text/plain", code: .unterminatedQuote, field: "Category", line: 1, offset: 20, mentions: "unterminated"),
        BadInput(body: "{\"kind\": \"http://x#c\",\n \"attributes\": {\"a\": [1]}}", contentType: "application/occi+json", code: .malformedJSON, field: "body", mentions: "must be a string, number or bool"),
        BadInput(body: "{\"kind\": \n  nope}", contentType: "application/occi+json", code: .malformedJSON, field: "body", line: 2, offset: 2, mentions: "invalid literal"),
        BadInput(body: "[1, 2", contentType: "application/json", code: .malformedJSON, field: "body", mentions: "unexpected end"),
        BadInput(body: "x", contentType: "text/html", code: .unsupportedContentType, field: "Content-Type", mentions: "unsupported Content-Type"),
    ]

    @Test("Malformed inputs", arguments: cases)
    func malformed(input: BadInput) {
        do {
            let r = try parser.parseRequest(headers: input.headers, body: input.body, contentType: input.contentType)
            Issue.record("accepted: \(r)")
        } catch {
            #expect(error.code == input.code)
            #expect(error.field == input.field)
            if let line = input.line { #expect(error.line == line) }
            if let offset = input.offset { #expect(error.offset == offset) }
            #expect(error.description.contains(input.mentions), "\(error.description)")
            #expect(error.httpStatus == (input.code == .unsupportedContentType ? 406 : 400))
        }
    }

    @Test("description is readable and the excerpt is shortened")
    func description() {
        let long = String(repeating: "x", count: 500)
        do {
            _ = try parser.parseAttributeHeader("a=1, " + long)
            Issue.record("accepted")
        } catch {
            #expect(error.excerpt!.count == OCCIParseError.excerptLimit + 1)  // 60 characters + "…"
            #expect(error.description.hasPrefix("X-OCCI-Attribute (offset 5): expected name=value near \"xxxx"))
            #expect(error.description.hasSuffix("…\""))
        }
    }

    @Test("Every error code maps to exactly one documented status")
    func statusMapping() {
        for code in OCCIParseError.Code.allCases {
            let status = OCCIParseError(code, "m").httpStatus
            switch code {
            case .unsupportedAccept, .unsupportedContentType: #expect(status == 406)
            case .unsupportedVersion: #expect(status == 501)
            case .inputTooLarge: #expect(status == 413)
            default: #expect(status == 400, "\(code)")
            }
        }
    }

    @Test("Action invocation mismatches and missing categories")
    func actionErrors() {
        let stop = [("Category", #"stop; scheme="http://x/action#"; class="action""#)]
        for (query, headers, code) in [
            ("action=start", stop, OCCIParseError.Code.actionMismatch),
            ("foo=bar", stop, .actionMismatch),
            ("action=stop", [], .missingCategory),
        ] as [(String, [(String, String)], OCCIParseError.Code)] {
            do {
                _ = try parser.parseActionInvocation(query: query, headers: headers, body: "", contentType: "text/occi")
                Issue.record("accepted \(query)")
            } catch {
                #expect(error.code == code)
                #expect(error.httpStatus == 400)
            }
        }
    }
}
