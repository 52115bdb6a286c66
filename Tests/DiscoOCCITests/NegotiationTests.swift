import DiscoOCCI
import Testing

@Suite("Content negotiation, Content-Type and User-Agent (GFD.185 §3.6.5–3.6.6)")
struct NegotiationTests {
    static let accepts: [(String?, Bool, OCCIMediaType)] = [
        (nil, false, .textPlain),
        ("", false, .textPlain),
        ("*/*", false, .textPlain),
        ("*", false, .textPlain),
        ("text/*", false, .textPlain),
        ("text/occi", false, .textOCCI),
        ("TEXT/OCCI; charset=utf-8", false, .textOCCI),
        ("application/occi+json", false, .json),
        ("application/*", false, .json),
        ("application/occi+json;version=1.2", false, .json12),
        ("application/occi+json; version=\"1.2\"", false, .json12),
        ("text/occi+plain", false, .textOCCIPlain),
        ("text/occi, application/occi+json", false, .textOCCI),  // first listed wins on equal q
        ("application/occi+json, text/occi", false, .json),
        ("text/occi;q=0.5, application/occi+json", false, .json),
        ("text/occi; q=0.9, text/plain; q=0.8", false, .textOCCI),  // space before q (pyssf missed this)
        ("text/*;q=0.5, text/occi;q=0, */*;q=0.1", false, .textPlain),  // specific q=0 excludes text/occi
        ("text/uri-list", true, .uriList),
        ("text/uri-list, */*;q=0.1", false, .textPlain),  // uri-list only for listings
        ("text/html, */*", false, .textPlain),
        ("application/json, text/occi;q=0.2", false, .textOCCI),
    ]

    @Test("Accept → rendering", arguments: accepts)
    func negotiate(accept: String?, isListing: Bool, expected: OCCIMediaType) throws {
        #expect(try OCCINegotiation.negotiate(accept: accept, isListing: isListing) == expected)
    }

    @Test("Unsupported Accept is 406 with the header named", arguments: ["text/html", "application/json", "image/png, text/html;q=0.5", "text/occi;q=0", "*/*;q=0", "application/occi+json;version=2.0"])
    func notAcceptable(accept: String) {
        #expect {
            _ = try OCCINegotiation.negotiate(accept: accept)
        } throws: { error in
            let e = error as! OCCIParseError
            return e.code == .unsupportedAccept && e.httpStatus == 406 && e.field == "Accept" && e.description.contains(accept.prefix(20))
        }
    }

    @Test("Only text/uri-list for a non-listing is 400 (GFD.185 §3.6.6)")
    func uriListForEntity() {
        #expect(throws: OCCIParseError.self) { try OCCINegotiation.negotiate(accept: "text/uri-list", isListing: false) }
        do {
            _ = try OCCINegotiation.negotiate(accept: "text/uri-list", isListing: false)
        } catch {
            #expect(error.code == .uriListNotApplicable)
            #expect(error.httpStatus == 400)
        }
    }

    static let contentTypes: [(String?, OCCIInputFormat)] = [
        (nil, .headersAndBody), ("", .headersAndBody), ("text/occi", .headers), ("Text/OCCI ; charset=UTF-8", .headers),
        ("text/plain", .body), ("text/plain;charset=utf-8", .body), ("text/occi+plain", .body),
        ("text/uri-list", .uriList), ("application/occi+json", .json), ("application/json; charset=utf-8", .json),
        ("application/x-www-form-urlencoded", .headersAndBody),
    ]

    @Test("Content-Type → what is read", arguments: contentTypes)
    func inputFormat(contentType: String?, expected: OCCIInputFormat) throws {
        #expect(try OCCINegotiation.inputFormat(contentType: contentType) == expected)
    }

    @Test("Unsupported Content-Type is 406 per the wire profile", arguments: ["text/html", "application/xml", "multipart/form-data; boundary=x"])
    func unsupportedContentType(contentType: String) {
        do {
            _ = try parser.parseRequest(headers: [], body: "x", contentType: contentType)
            Issue.record("accepted \(contentType)")
        } catch {
            #expect(error.code == .unsupportedContentType)
            #expect(error.httpStatus == 406)
            #expect(error.field == "Content-Type")
        }
    }

    static let userAgents: [(String?, OCCIVersion?)] = [
        (nil, nil), ("curl/8.0", nil), ("occi-client/1.0 OCCI/1.1", .v1_1), ("x OCCI/1.0", OCCIVersion(1, 0)),
        ("ooi OCCI/1.1 OCCI/1.2", .v1_1), ("pOCCI occi/1.1", .v1_1), ("OCCI/abc", nil),
    ]

    @Test("User-Agent OCCI versions the server can speak", arguments: userAgents)
    func userAgentOK(userAgent: String?, expected: OCCIVersion?) throws {
        #expect(try OCCINegotiation.checkUserAgent(userAgent) == expected)
    }

    @Test("A higher OCCI version in User-Agent is 501", arguments: ["client OCCI/2.2", "x OCCI/1.2", "OCCI/1.10"])
    func userAgentTooNew(userAgent: String) {
        do {
            try OCCINegotiation.checkUserAgent(userAgent)
            Issue.record("accepted \(userAgent)")
        } catch {
            #expect(error.code == .unsupportedVersion)
            #expect(error.httpStatus == 501)
        }
    }
}
