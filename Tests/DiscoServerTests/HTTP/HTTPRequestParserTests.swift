import Foundation
import Testing
@testable import DiscoServer

/// Feeds `bytes` in the given pieces and collects every event.
private func parseAll(
    _ pieces: [[UInt8]],
    limits: HTTPParserLimits = HTTPParserLimits()
) throws(HTTPParseError) -> (requests: [ParsedRequest], expectContinue: Int) {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = InputBuffer()
    var requests: [ParsedRequest] = []
    var continues = 0
    for piece in pieces {
        buffer.append(contentsOf: piece)
        loop: while true {
            switch try parser.parse(&buffer) {
            case .needMore: break loop
            case .expectContinue: continues += 1
            case .request(let r): requests.append(r)
            }
        }
        buffer.compact()
    }
    return (requests, continues)
}

private func parseOne(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) throws(HTTPParseError) -> ParsedRequest? {
    try parseAll([Array(text.utf8)], limits: limits).requests.first
}

private func parseError(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> HTTPParseError? {
    do {
        _ = try parseAll([Array(text.utf8)], limits: limits)
        return nil
    } catch {
        return error
    }
}

private struct Summary: Equatable, CustomStringConvertible {
    var method: String, target: String, version: String, headers: [String], body: Data, keepAlive: Bool
    init(_ r: ParsedRequest) {
        method = r.method; target = r.target; version = r.version
        headers = r.headers.entries.map { "\($0.name)=\($0.value)" }
        body = r.body; keepAlive = r.keepAlive
    }
    var description: String { "\(method) \(target) \(version) \(headers) body=\(body.count) keepAlive=\(keepAlive)" }
}

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    static let samples: [String] = [
        "GET /disco/abc?action=x&y=a+b HTTP/1.1\r\nHost: localhost\r\nCategory: compute\r\nX-Test: 1\r\ncategory: network\r\n\r\n",
        "POST /items HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
        "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\nA \r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
        "\r\nget /old HTTP/1.0\r\nConnection: keep-alive\n\n",
    ]

    @Test func parsesSimpleGET() throws {
        let r = try #require(try parseOne(Self.samples[0]))
        #expect(r.method == "GET")
        #expect(r.target == "/disco/abc?action=x&y=a+b")
        #expect(r.version == "HTTP/1.1")
        #expect(r.headers.values("CATEGORY") == ["compute", "network"])
        #expect(r.headers["host"] == "localhost")
        #expect(r.keepAlive)
        #expect(r.body.isEmpty)
    }

    @Test func parsesContentLengthAndChunkedBodies() throws {
        let post = try #require(try parseOne(Self.samples[1]))
        #expect(String(decoding: post.body, as: UTF8.self) == "hello world")
        let put = try #require(try parseOne(Self.samples[2]))
        #expect(String(decoding: put.body, as: UTF8.self) == "hello 0123456789")
        #expect(put.headers["X-Trailer"] == nil)
    }

    @Test func http10DefaultsAndLowercaseMethod() throws {
        let r = try #require(try parseOne(Self.samples[3]))
        #expect(r.method == "GET")
        #expect(r.version == "HTTP/1.0")
        #expect(r.keepAlive)
        let plain = try #require(try parseOne("GET / HTTP/1.0\r\n\r\n"))
        #expect(!plain.keepAlive)
        let close = try #require(try parseOne("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, close\r\n\r\n"))
        #expect(!close.keepAlive)
    }

    @Test("Every split point yields the same request", arguments: 0..<4)
    func incrementalAtEveryBoundary(sample: Int) throws {
        let bytes = Array(Self.samples[sample].utf8)
        let whole = try parseAll([bytes]).requests.map(Summary.init)
        #expect(whole.count == 1)
        for split in 0...bytes.count {
            let parts = try parseAll([Array(bytes[..<split]), Array(bytes[split...])]).requests.map(Summary.init)
            #expect(parts == whole, "split at \(split)")
        }
        // and three-way splits, plus byte-at-a-time
        for a in stride(from: 0, through: bytes.count, by: 7) {
            for b in stride(from: a, through: bytes.count, by: 5) {
                let parts = try parseAll([Array(bytes[..<a]), Array(bytes[a..<b]), Array(bytes[b...])]).requests.map(Summary.init)
                #expect(parts == whole, "split at \(a), \(b)")
            }
        }
        let single = try parseAll(bytes.map { [$0] }).requests.map(Summary.init)
        #expect(single == whole)
    }

    @Test func pipelinedRequestsParseInOrder() throws {
        let all = Self.samples[0] + Self.samples[1] + Self.samples[2]
        let result = try parseAll([Array(all.utf8)])
        #expect(result.requests.map(\.method) == ["GET", "POST", "PUT"])
        let bytes = Array(all.utf8)
        let dribbled = try parseAll(stride(from: 0, to: bytes.count, by: 3).map { Array(bytes[$0..<min($0 + 3, bytes.count)]) })
        #expect(dribbled.requests.map(Summary.init) == result.requests.map(Summary.init))
    }

    @Test func expectContinueIsReportedBeforeTheBody() throws {
        let head = "POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
        let result = try parseAll([Array(head.utf8), Array("abc".utf8)])
        #expect(result.expectContinue == 1)
        #expect(result.requests.count == 1)
        #expect(String(decoding: result.requests[0].body, as: UTF8.self) == "abc")
        // Without a body there is nothing to continue.
        let none = try parseAll([Array("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n".utf8)])
        #expect(none.expectContinue == 0 && none.requests.count == 1)
    }

    static let errorCases: [(String, Int)] = [
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("GET /\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET disco HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET http:/x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET 1http://x/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET / HTTX/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{01}b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n", 417),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "a", count: 1024) + "\r\n400\r\n", 413),
        ("GET /" + String(repeating: "a", count: 600) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 1200) + "\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "X-N: 1\r\n", count: 20) + "\r\n", 431),
    ]

    static let smallLimits = HTTPParserLimits(maxRequestLineBytes: 512, maxHeaderBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 1500)

    @Test("Malformed or oversized requests map to the right status", arguments: errorCases)
    func errorsMapToStatus(raw: String, status: Int) {
        let error = parseError(raw, limits: Self.smallLimits)
        #expect(error?.status == status, "\(raw.prefix(80).debugDescription) gave \(String(describing: error))")
    }

    /// The chunked body's framing is CRLF only (RFC 9112 §7.1): a bare LF in a chunk-size line, after chunk data or
    /// in a trailer is a 400 naming the line; the head may still end its lines in bare LF (§2.2).
    @Test(arguments: [
        ("5\nhello\r\n0\r\n\r\n", "chunk size line ends in a bare LF"),
        ("5;ext=1\nhello\r\n0\r\n\r\n", "chunk size line ends in a bare LF"),
        ("5\r\nhello\n0\r\n\r\n", "chunk data ends in a bare LF"),
        ("5\r\nhello\r\n0\n\r\n", "chunk size line ends in a bare LF"),
        ("5\r\nhello\r\n0\r\nX-T: t\n\r\n", "trailer line ends in a bare LF"),
        ("5\r\nhello\r\n0\r\n\n", "trailer line ends in a bare LF"),
    ])
    func chunkLinesMustEndInCRLF(body: String, reason: String) throws {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let error = try #require(parseError(head + body))
        #expect(error.status == 400)
        #expect(error.description.contains(reason) && error.description.contains("CRLF"), "\(error)")
        // The same body with CRLF everywhere parses; so does a head with bare LFs.
        let fixed = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try parseOne(head + fixed)?.body == Data("hello".utf8))
        let bareHead = "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n"
        #expect(try parseOne(bareHead + fixed)?.body == Data("hello".utf8))
    }

    @Test(arguments: ["/", "*", "http://h:8888/disco/?x=1", "svn+ssh.x-y://h/"])
    func originAsteriskAndAbsoluteFormsAreTargets(target: String) throws {
        let parsed = try parseAll([Array("OPTIONS \(target) HTTP/1.1\r\nHost: h\r\n\r\n".utf8)])
        #expect(parsed.requests.map(\.target) == [target])
    }

    @Test func aTargetWithoutASlashSaysWhatIsAccepted() {
        let error = parseError("GET disco HTTP/1.1\r\nHost: h\r\n\r\n", limits: Self.smallLimits)
        #expect(error == .badRequest("malformed request target: use a path starting with '/' or an absolute URI"))
    }

    @Test func limitsAreEnforcedWhenDribbled() {
        // An endless header line is rejected once it exceeds the limit, without waiting for its end.
        var parser = HTTPRequestParser(limits: Self.smallLimits)
        var buffer = InputBuffer()
        buffer.append(contentsOf: Array("GET / HTTP/1.1\r\nHost: h\r\nX: ".utf8))
        var thrown: HTTPParseError? = nil
        for _ in 0..<2000 {
            buffer.append(contentsOf: [UInt8(ascii: "a")])
            do { _ = try parser.parse(&buffer) } catch { thrown = error; break }
        }
        #expect(thrown == .headersTooLarge)
    }

    @Test func exactLimitsAreAccepted() throws {
        let limits = HTTPParserLimits(maxRequestLineBytes: 512, maxHeaderBytes: 1024, maxHeaderCount: 3, maxBodyBytes: 5)
        let r = try parseOne("POST / HTTP/1.1\r\nHost: h\r\nA: 1\r\nContent-Length: 5\r\n\r\n12345", limits: limits)
        #expect(r?.body.count == 5)
    }
}

@Suite("HTTP request/response values")
struct HTTPValueTests {
    @Test func headersAreOrderedAndCaseInsensitive() {
        var h: HTTPHeaders = ["Content-Type": "text/plain"]
        h.add("X-OCCI-Attribute", "a=1")
        h.add("x-occi-attribute", "b=2")
        #expect(h["content-type"] == "text/plain")
        #expect(h.values("X-OCCI-ATTRIBUTE") == ["a=1", "b=2"])
        h.set("X-Occi-Attribute", "c=3")
        #expect(h.values("x-occi-attribute") == ["c=3"])
        #expect(h.entries.map(\.name) == ["Content-Type", "X-OCCI-Attribute"])
        h.remove("CONTENT-TYPE")
        #expect(h["Content-Type"] == nil)
        #expect(Array(h).count == 1)
    }

    @Test func targetDecoding() {
        let r = HTTPServerRequest(method: "GET", target: "/disco/a%20b%2Fc?action=x&name=J+D%26&flag&empty=")
        #expect(r.path == "/disco/a b/c")
        #expect(r.query.map(\.name) == ["action", "name", "flag", "empty"])
        #expect(r.queryValue("name") == "J D&")
        #expect(r.queryValue("flag") == "")
        #expect(r.queryValue("nope") == nil)
        let absolute = HTTPServerRequest(method: "GET", target: "http://example.com:8888/x/y?z=1")
        #expect(absolute.path == "/x/y")
        #expect(HTTPServerRequest.splitTarget("/bad%zz").path == nil)
    }

    @Test func requestIDs() {
        let a = RequestIDGenerator.shared.next(), b = RequestIDGenerator.shared.next()
        #expect(a != b)
        #expect(a.count < 20)
        #expect(RequestIDGenerator.isValid(a))
        #expect(!RequestIDGenerator.isValid(""))
        #expect(!RequestIDGenerator.isValid("has space"))
        #expect(!RequestIDGenerator.isValid(String(repeating: "x", count: 129)))
    }

    @Test func responseSerialisation() {
        let r = HTTPServerResponse.text(200, "hello", headers: ["X-A": "1", "Content-Length": "99", "Connection": "upgrade"])
        let text = String(decoding: r.serialized(isHead: false, keepAlive: true), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("\r\nContent-Length: 5\r\n"))
        #expect(text.contains("\r\nConnection: keep-alive\r\n"))
        #expect(text.contains("\r\nDate: "))
        #expect(text.contains(" GMT\r\n"))
        #expect(!text.contains("upgrade"))
        #expect(text.hasSuffix("\r\n\r\nhello"))

        let head = String(decoding: r.serialized(isHead: true, keepAlive: false), as: UTF8.self)
        #expect(head.contains("Content-Length: 5\r\n"))
        #expect(head.contains("Connection: close\r\n"))
        #expect(head.hasSuffix("\r\n\r\n"))

        let noContent = String(decoding: HTTPServerResponse.status(204).serialized(isHead: false, keepAlive: true), as: UTF8.self)
        #expect(!noContent.contains("Content-Length"))

        let injected = HTTPServerResponse.text(200, "", headers: ["X-Evil": "a\r\nSet-Cookie: x"])
        let safe = String(decoding: injected.serialized(isHead: false, keepAlive: true), as: UTF8.self)
        #expect(!safe.contains("\r\nSet-Cookie"))

        #expect(HTTPDate.format(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
