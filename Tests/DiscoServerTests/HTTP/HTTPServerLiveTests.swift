import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Synchronization
import Testing
@testable import DiscoServer

/// Echoes what the server parsed, so tests can check framing end to end.
let echoHandler: HTTPHandler = { request in
    var headers: HTTPHeaders = [:]
    headers.add("X-Method", request.method)
    headers.add("X-Path", request.path)
    headers.add("X-Remote", request.remoteAddress)
    headers.add("X-Request-ID", request.requestID)
    headers.add("X-Test-Values", request.headers.values("X-Test").joined(separator: "|"))
    if let delay = request.queryValue("delay"), let ms = Int(delay) {
        try? await Task.sleep(for: .milliseconds(ms))
    }
    return HTTPServerResponse(status: 200, headers: headers, body: request.body.isEmpty ? Data("path=\(request.path)".utf8) : request.body)
}

@Suite("HTTP server (live)")
struct HTTPServerLiveTests {
    @Test func urlSessionGetPostAndKeepAliveReuse() async throws {
        try await withServer(handler: echoHandler) { _, port in
            let session = URLSession(configuration: .ephemeral)
            defer { session.invalidateAndCancel() }
            let url = URL(string: "http://127.0.0.1:\(port)/disco/a%20b?x=1")!
            let (data1, r1) = try await session.data(from: url)
            let http1 = try #require(r1 as? HTTPURLResponse)
            #expect(http1.statusCode == 200)
            #expect(String(decoding: data1, as: UTF8.self) == "path=/disco/a b")
            #expect(http1.value(forHTTPHeaderField: "Date") != nil)
            #expect(http1.value(forHTTPHeaderField: "Connection") == "keep-alive")

            var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/items")!)
            post.httpMethod = "POST"
            post.httpBody = Data("payload".utf8)
            let (data2, r2) = try await session.data(for: post)
            let http2 = try #require(r2 as? HTTPURLResponse)
            #expect(String(decoding: data2, as: UTF8.self) == "payload")
            #expect(http2.value(forHTTPHeaderField: "X-Method") == "POST")
            // Same client port → the keep-alive connection was reused.
            #expect(http1.value(forHTTPHeaderField: "X-Remote") == http2.value(forHTTPHeaderField: "X-Remote"))
        }
    }

    @Test(arguments: [false, true]) func keepAliveOnRawSocketAndRequestIDs(onLoop: Bool) async throws {
        try await withServer({ $0.runsOnEventLoop = { _ in onLoop } }, handler: echoHandler) { server, port in
            let (a, b, local) = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n")
                let a = try c.readResponse()
                try c.send("GET /two HTTP/1.1\r\nHost: x\r\nX-Request-ID: client-id.42\r\n\r\n")
                let b = try c.readResponse()
                return (a, b, c.localPort)
            }
            #expect(a.text == "path=/one" && b.text == "path=/two")
            #expect(a.headers["X-Remote"] == "127.0.0.1:\(local)")
            #expect(b.headers["X-Request-ID"] == "client-id.42")
            #expect(a.headers["X-Request-ID"] != nil && a.headers["X-Request-ID"] != "client-id.42")
            #expect(server.statistics.acceptedConnections == 1)
        }
    }

    @Test(arguments: [(false, 1), (true, 1), (true, 2)]) func pipelinedRequestsAnswerInOrder(onLoop: Bool, loops: Int) async throws {
        try await withServer({ $0.runsOnEventLoop = { _ in onLoop }; $0.eventLoops = loops }, handler: echoHandler) { _, port in
            let responses = try await offload {
                let c = try RawClient(port: port)
                try c.send(
                    "GET /slow?delay=150 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
                        + "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let r = try (0..<3).map { _ in try c.readResponse() }
                let closed = try c.isClosedByPeer()
                return (r, closed)
            }
            #expect(responses.0.map(\.text) == ["path=/slow", "body", "path=/fast"])
            #expect(responses.0[2].headers["Connection"] == "close")
            #expect(responses.1)
        }
    }

    @Test func chunkedBodyAndRepeatedHeadersInOrder() async throws {
        try await withServer(handler: echoHandler) { _, port in
            let r = try await rawExchange(port: port,
                "POST /c HTTP/1.1\r\nHost: x\r\nX-Test: first\r\nTransfer-Encoding: chunked\r\nx-test: second\r\nX-TEST: third\r\n\r\n"
                    + "4\r\nWiki\r\n5;name=v\r\npedia\r\n0\r\n\r\n")
            #expect(r.status == 200)
            #expect(r.text == "Wikipedia")
            #expect(r.headers["X-Test-Values"] == "first|second|third")
        }
    }

    @Test func headHasNoBodyButGetLength() async throws {
        try await withServer(handler: { _ in .text(200, "twelve bytes") }) { _, port in
            let (head, get) = try await offload {
                let c = try RawClient(port: port)
                try c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try c.readResponse(head: true), try c.readResponse())
            }
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == "12")
            #expect(head.body.isEmpty)
            // If HEAD had leaked a body, this response would be garbled.
            #expect(get.text == "twelve bytes")
        }
    }

    @Test func largeResponsesAloneCallTheLargeResponseHook() async throws {
        let calls = Mutex<Int>(0)
        let configure: (inout HTTPServer.Configuration) -> Void = {
            $0.largeResponseBytes = 100_000
            $0.largeResponseWritten = { calls.withLock { $0 += 1 } }
        }
        let handler: HTTPHandler = { request in
            .text(200, String(repeating: "x", count: request.path == "/big" ? 200_000 : 10))
        }
        try await withServer(configure, handler: handler) { _, port in
            let (small, big) = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
                let small = try c.readResponse()
                try c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
                return (small, try c.readResponse())
            }
            #expect(small.body.count == 10 && big.body.count == 200_000)
            // The hook runs after the last byte left, possibly just after the client read it.
            let deadline = ContinuousClock.now + .seconds(10)
            while calls.withLock({ $0 }) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test func expectContinue() async throws {
        try await withServer({ $0.maxBodyBytes = 100 }, handler: echoHandler) { _, port in
            let (interim, final) = try await offload {
                let c = try RawClient(port: port)
                try c.send("POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                let interim = try c.readResponse()
                try c.send("12345")
                return (interim, try c.readResponse())
            }
            #expect(interim.status == 100)
            #expect(final.status == 200 && final.text == "12345")

            let tooBig = try await rawExchange(port: port,
                "POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 500\r\n\r\n")
            #expect(tooBig.status == 413)
            let unknown = try await rawExchange(port: port, "POST /u HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\n")
            #expect(unknown.status == 417)
        }
    }

    @Test func http10ClosesAfterResponse() async throws {
        try await withServer(handler: echoHandler) { _, port in
            let (r, closed) = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET /old HTTP/1.0\r\n\r\n")
                return (try c.readResponse(), try c.isClosedByPeer())
            }
            #expect(r.status == 200)
            #expect(r.headers["Connection"] == "close")
            #expect(closed)
        }
    }

    static let limitCases: [(String, String, Int)] = [
        ("request line too long", "GET /" + String(repeating: "a", count: 3000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("headers too large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 5000) + "\r\n\r\n", 431),
        ("too many headers", "GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-N: 1\r\n", count: 30) + "\r\n", 431),
        ("body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "z", count: 5000), 413),
        ("chunked too large", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "400\r\n" + String(repeating: "z", count: 1024) + "\r\n", count: 5) + "0\r\n\r\n", 413),
        ("malformed request line", "HELLO\r\n\r\n", 400),
        ("malformed header", "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),
        ("malformed chunk", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
        ("CL and TE", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("bad content length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n", 400),
        ("unsupported version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ]

    @Test("Limits and malformed input get a status, a short body, and a close", arguments: limitCases)
    func limits(name: String, raw: String, status: Int) async throws {
        try await withServer({
            $0.maxRequestLineBytes = 2048
            $0.maxHeaderBytes = 4096
            $0.maxHeaderCount = 20
            $0.maxBodyBytes = 4096
        }, handler: echoHandler) { server, port in
            let (r, closed) = try await offload {
                let c = try RawClient(port: port)
                try c.send(raw)
                return (try c.readResponse(), try c.isClosedByPeer())
            }
            #expect(r.status == status, "\(name)")
            #expect(r.headers["Connection"] == "close")
            #expect(!r.body.isEmpty && r.body.count < 200)
            #expect(closed)
            #expect(server.statistics.requests == 0)
        }
    }

    @Test func readTimeoutAnswers408() async throws {
        try await withServer({ $0.readTimeout = .milliseconds(300) }) { _, port in
            let start = ContinuousClock.now
            let (r, closed) = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET / HTTP/1.1\r\nHost: x\r\n")  // never finished
                return (try c.readResponse(), try c.isClosedByPeer())
            }
            #expect(r.status == 408)
            #expect(closed)
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() async throws {
        try await withServer({ $0.idleTimeout = .milliseconds(300) }) { server, port in
            let (first, rest) = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try c.readResponse()
                return (first, try c.readToEOF())  // server closes after idleTimeout
            }
            #expect(first.status == 200)
            #expect(rest.isEmpty)
            #expect(await eventually { server.statistics.openConnections == 0 })
        }
    }

    @Test(arguments: [false, true]) func handlerTimeoutAnswers503(onLoop: Bool) async throws {
        try await withServer({ $0.handlerTimeout = .milliseconds(200); $0.runsOnEventLoop = { _ in onLoop } }, handler: { _ in
            try? await Task.sleep(for: .seconds(5))
            return .text(200, "late")
        }) { _, port in
            let start = ContinuousClock.now
            let r = try await rawExchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(r.status == 503)
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    @Test func throwingHandlerGives500() async throws {
        struct Boom: Error {}
        var configuration = HTTPServer.Configuration(port: 0)
        configuration.drainTimeout = .seconds(1)
        let logs = LogCollector()
        let server = HTTPServer(configuration: configuration, throwingHandler: { request in
            if request.path == "/boom" { throw Boom() }
            return .text(200, "fine")
        }, logger: logs.sink)
        let port = try server.start()
        let r1 = try await rawExchange(port: port, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
        let r2 = try await rawExchange(port: port, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
        let r3 = try await rawExchange(port: port, "NOT HTTP\r\n\r\n")
        #expect(r1.status == 500)
        #expect(r2.status == 200)
        #expect(r3.status == 400)
        await server.stop()
        let lines = logs.lines
        #expect(lines.contains { $0.contains("listening on 127.0.0.1:\(port)") })
        #expect(lines.contains { $0.contains("handler error for GET /boom") })
        #expect(lines.contains { $0.contains("400") })
        #expect(lines.last == "HTTP server stopped")
    }

    @Test func slowlorisDoesNotStarveOthers() async throws {
        try await withServer({ $0.readTimeout = .seconds(60); $0.headTimeout = .seconds(60); $0.idleTimeout = .seconds(60) },
                             handler: echoHandler) { server, port in
            // 200 idle connections and 50 that dribble half a request, from five addresses other than the client's.
            let holders = try await offload { () -> [RawClient] in
                var held: [RawClient] = []
                for i in 0..<250 {
                    let c = try RawClient(port: port, source: "127.0.0.\(2 + i % 5)")
                    if i >= 200 { try c.send("GET /slow HTTP/1.1\r\nHost: x\r\nX-A: ") }
                    held.append(c)
                }
                return held
            }
            #expect(await eventually(timeout: .seconds(20)) { server.statistics.openConnections == 250 })
            let start = ContinuousClock.now
            let session = URLSession(configuration: .ephemeral)
            defer { session.invalidateAndCancel() }
            for i in 0..<20 {
                let (data, _) = try await session.data(from: URL(string: "http://127.0.0.1:\(port)/ok\(i)")!)
                #expect(String(decoding: data, as: UTF8.self) == "path=/ok\(i)")
            }
            #expect(ContinuousClock.now - start < .seconds(20))
            withExtendedLifetime(holders) {}
        }
    }

    @Test(arguments: [1, 2]) func overMaxConnectionsWithAllBusyAnswers503(loops: Int) async throws {
        try await withServer({ $0.maxConnections = 5; $0.eventLoops = loops }) { server, port in
            let result = try await offload { () -> (RawResponse, [RawClient]) in
                // Five connections each part-way through a request body: none can be displaced.
                let held = try (0..<5).map { _ in
                    let c = try RawClient(port: port)
                    try c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
                    return c
                }
                let deadline = Date().addingTimeInterval(3)
                while server.statistics.openConnections < 5 && Date() < deadline { usleep(5000) }
                let extra = try RawClient(port: port)
                try? extra.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try extra.readResponse(), held)
            }
            #expect(result.0.status == 503)
            #expect(result.0.headers["Connection"] == "close")
            #expect(await eventually { server.statistics.rejectedConnections == 1 })  // published after the loop iteration
            withExtendedLifetime(result.1) {}
        }
    }

    /// Half-sent request heads from several addresses fill the server: a newcomer displaces the oldest of them.
    @Test(arguments: [1, 2]) func atCapacityTheOldestHeadReaderMakesRoom(loops: Int) async throws {
        try await withServer({ $0.maxConnections = 5; $0.eventLoops = loops }) { server, port in
            let result = try await offload { () -> (RawResponse, [RawClient]) in
                var held: [RawClient] = []
                for i in 0..<5 {
                    let c = try RawClient(port: port, source: "127.0.0.\(2 + i)")
                    try c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                    held.append(c)
                    let deadline = Date().addingTimeInterval(3)
                    while server.statistics.openConnections < i + 1 && Date() < deadline { usleep(2000) }
                }
                let extra = try RawClient(port: port, source: "127.0.0.9")
                try extra.send("GET /new HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try extra.readResponse(), held)
            }
            #expect(result.0.status == 200)
            #expect(result.0.text == "hello /new")
            let stats = server.statistics
            #expect(stats.evictedConnections >= 1)
            #expect(stats.rejectedConnections == 0)
            if loops == 1 {  // with two loops the accepting loop evicts its own oldest
                #expect(try await offload { try result.1[0].isClosedByPeer() })
            }
        }
    }

    /// One address holding its limit of half-sent requests is refused more (429), while other addresses are served.
    @Test func aPeerOverItsConnectionLimitGets429AndOthersAreServed() async throws {
        try await withServer({ $0.maxConnectionsPerPeer = 5 }) { server, port in
            let result = try await offload { () -> (RawResponse, RawResponse, [RawClient]) in
                let held = try (0..<5).map { _ in
                    let c = try RawClient(port: port, source: "127.0.0.2")
                    try c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                    return c
                }
                let deadline = Date().addingTimeInterval(3)
                while server.statistics.openConnections < 5 && Date() < deadline { usleep(5000) }
                let same = try RawClient(port: port, source: "127.0.0.2")
                try? same.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                let other = try RawClient(port: port, source: "127.0.0.3")
                try other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try same.readResponse(), try other.readResponse(), held)
            }
            #expect(result.0.status == 429)
            #expect(result.0.text.contains("at most 5"), "\(result.0.text)")
            #expect(result.1.status == 200)
            #expect(server.statistics.peerLimitedConnections == 1)
            withExtendedLifetime(result.2) {}
        }
    }

    /// A request head not finished within the head timeout is answered 408, though the whole-request timeout is longer.
    @Test func aStalledRequestHeadGets408AtTheHeadTimeout() async throws {
        try await withServer({ $0.headTimeout = .milliseconds(300); $0.readTimeout = .seconds(60) }) { _, port in
            let response = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                return try c.readResponse()
            }
            #expect(response.status == 408)
        }
    }

    @Test(arguments: [1, 2]) func idleConnectionsAreDisplacedAtCapacity(loops: Int) async throws {
        try await withServer({ $0.maxConnections = 20; $0.eventLoops = loops }, handler: echoHandler) { server, port in
            // 100 idle connections against a limit of 20: new clients are still served.
            let idle = try await offload { try (0..<100).map { _ in try RawClient(port: port) } }
            #expect(await eventually { server.statistics.acceptedConnections == 100 })
            let session = URLSession(configuration: .ephemeral)
            defer { session.invalidateAndCancel() }
            for i in 0..<10 {
                let (data, response) = try await session.data(from: URL(string: "http://127.0.0.1:\(port)/n\(i)")!)
                #expect((response as? HTTPURLResponse)?.statusCode == 200)
                #expect(String(decoding: data, as: UTF8.self) == "path=/n\(i)")
            }
            let stats = server.statistics
            #expect(stats.openConnections <= 20)
            #expect(stats.evictedConnections >= 80)
            #expect(stats.rejectedConnections == 0)
            withExtendedLifetime(idle) {}
        }
    }

    @Test func largeBodiesBothWays() async throws {
        var blocks = Data()
        for i in 0..<128 { blocks.append(Data(repeating: UInt8(i), count: 64 << 10)) }  // 8 MiB, distinct 64 KiB blocks
        let big = blocks
        try await withServer({ $0.maxBodyBytes = 2 << 20 }, handler: { request in
            request.path == "/big" ? HTTPServerResponse(status: 200, body: big) : HTTPServerResponse(status: 200, body: request.body)
        }) { _, port in
            // 8 MiB response: more than the socket buffer, so the server must resume on POLLOUT.
            let r = try await rawExchange(port: port, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(r.body == big)
            // ~2 MiB request body via URLSession.
            var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/echo")!)
            post.httpMethod = "PUT"
            let upload = big.prefix(2 << 20)
            post.httpBody = Data(upload)
            let session = URLSession(configuration: .ephemeral)
            defer { session.invalidateAndCancel() }
            let (data, response) = try await session.data(for: post)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(data == upload)
        }
    }

    @Test func clientThatNeverReadsIsDroppedAfterWriteTimeout() async throws {
        let big = Data(count: 16 << 20)
        try await withServer({ $0.writeTimeout = .milliseconds(300) }, handler: { _ in HTTPServerResponse(status: 200, body: big) }) { server, port in
            let client = try await offload {
                let c = try RawClient(port: port)
                try c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return c  // and never read
            }
            #expect(await eventually { server.statistics.requests == 1 })
            #expect(await eventually { server.statistics.openConnections == 0 })
            withExtendedLifetime(client) {}
        }
    }

    @Test(arguments: [(false, 1), (true, 1), (true, 2)]) func gracefulStopFinishesInFlightAndRefusesNew(onLoop: Bool, loops: Int) async throws {
        var configuration = HTTPServer.Configuration(port: 0)
        // Far beyond the slow request: with the whole suite running, a handler on the pool was seen resuming > 3 s late,
        // and the drain timeout then closed its connection unanswered (what this test checks is the answer).
        configuration.drainTimeout = .seconds(20)
        configuration.runsOnEventLoop = { _ in onLoop }
        configuration.eventLoops = loops
        let server = HTTPServer(configuration: configuration, handler: echoHandler)
        let port = try server.start()
        #expect(server.listeningPort == port)

        // An idle keep-alive connection and an in-flight slow request.
        let idle = try await offload {
            let c = try RawClient(port: port)
            try c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try c.readResponse()
            return c
        }
        let inFlight = Task {
            try await offload { () -> RawResponse in
                let c = try RawClient(port: port)
                // Long enough to be still in flight when the stop starts, even on a loaded machine.
                try c.send("GET /slow?delay=1500 HTTP/1.1\r\nHost: x\r\n\r\n")
                return try c.readResponse()
            }
        }
        // Statistics are published once per loop turn: wait for the slow request itself (the second), not a stale
        // in-flight count left from the first.
        #expect(await eventually { server.statistics.requests == 2 && server.statistics.inFlight == 1 })
        let stopping = Task { await server.stop() }
        try await Task.sleep(for: .milliseconds(100))
        // New connections are refused while draining.
        await #expect(throws: (any Error).self) {
            try await offload { try RawClient(port: port) }
        }
        // Idle keep-alive connection was closed.
        #expect(try await offload { try idle.isClosedByPeer() })
        let r = try await inFlight.value
        #expect(r.status == 200)
        #expect(r.text == "path=/slow")
        #expect(r.headers["Connection"] == "close")
        await stopping.value
        #expect(server.isFinished)
        #expect(server.listeningPort == nil)
    }

    @Test func quickRequestsRunOnTheLoopThreadAndOthersOnThePool() async throws {
        actor Counter {
            var value = 0
            func next() -> Int { value += 1; return value }
        }
        let counter = Counter()
        let handler: HTTPHandler = { request in
            let before = currentThreadName()
            let n = await counter.next()  // an actor hop
            try? await Task.sleep(for: .milliseconds(request.path == "/quick-sleep" ? 20 : 0))  // a real suspension
            let after = currentThreadName()
            return .text(200, "\(before)|\(after)|\(n)")
        }
        try await withServer({ $0.runsOnEventLoop = { $0.path.hasPrefix("/quick") } }, handler: handler) { _, port in
            let texts = try await offload {
                let c = try RawClient(port: port)
                return try ["/quick", "/quick-sleep", "/other", "/quick"].map { path in
                    try c.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                    return try c.readResponse().text
                }
            }
            let threads = texts.map { $0.split(separator: "|").prefix(2).map(String.init) }
            #expect(threads[0] == ["disco-http-0", "disco-http-0"])
            #expect(threads[1] == ["disco-http-0", "disco-http-0"])  // resumed on the loop after the sleep
            #expect(!threads[2].contains("disco-http-0"))
            #expect(threads[3] == ["disco-http-0", "disco-http-0"])
            #expect(texts.map { $0.split(separator: "|").last.map(String.init) } == ["1", "2", "3", "4"])
        }
    }

    @Test func aQuickHandlerStillSuspendedWhenTheServerStopsFinishesOffTheLoop() async throws {
        let finished = LockedFlag()
        var configuration = HTTPServer.Configuration(port: 0)
        configuration.drainTimeout = .milliseconds(100)
        configuration.runsOnEventLoop = { _ in true }
        let server = HTTPServer(configuration: configuration) { _ in
            try? await Task.sleep(for: .seconds(60))  // outlives the drain timeout (and eventually's wait): ends only by the cancellation at close
            finished.set()
            return .text(200, "late")
        }
        let port = try server.start()
        let client = try await offload { () -> RawClient in
            let c = try RawClient(port: port)
            try c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            return c
        }
        #expect(await eventually { server.statistics.inFlight == 1 })
        await server.stop()
        #expect(await eventually { finished.isSet })  // its job ran although the loop thread is gone
        withExtendedLifetime(client) {}
    }

    @Test func connectionsAreSpreadOverTheEventLoops() async throws {
        let handler: HTTPHandler = { _ in .text(200, "\(currentThreadName())") }
        try await withServer({ $0.eventLoops = 2; $0.runsOnEventLoop = { _ in true } }, handler: handler) { server, port in
            // Eight keep-alive connections opened together: each goes to the loop with the fewest.
            let clients = try await offload { try (0..<8).map { _ in try RawClient(port: port) } }
            #expect(await eventually { server.statistics.openConnections == 8 })
            let loops = try await offload {
                try clients.map { c -> String in
                    try c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    return try c.readResponse().text
                }
            }
            #expect(Set(loops) == ["disco-http-0", "disco-http-1"])
            #expect(loops.filter { $0 == "disco-http-0" }.count == 4)
            #expect(await eventually { server.statistics.requests == 8 })  // counters are published after each loop iteration
            #expect(server.statistics.acceptedConnections == 8)
        }
    }

    @Test func runReturnsAfterStop() async throws {
        let server = HTTPServer(configuration: .init(port: 0), handler: { _ in .text(200, "x") })
        let port = try server.start()
        let running = Task { await server.run() }
        let r = try await rawExchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(r.status == 200)
        await server.stop()
        await running.value
    }
}

@Suite("HTTP server resources")
struct HTTPServerResourceTests {
    @Test(arguments: [1, 2]) func fileDescriptorsDoNotLeak(loops: Int) async throws {
        try await withServer({ $0.readTimeout = .milliseconds(200); $0.lingerTimeout = .milliseconds(200); $0.eventLoops = loops },
                             handler: echoHandler) { server, port in
            let before = openFDCount()
            try await offload {
                for i in 0..<300 {
                    let c = try RawClient(port: port)
                    switch i % 5 {
                    case 0: break  // connect and close
                    case 1:
                        try c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                        _ = try c.readResponse()
                    case 2: try c.send("GET / HTTP/1.1\r\nHo")  // abandon mid-request
                    case 3: try c.send("GET /?delay=50 HTTP/1.1\r\nHost: x\r\n\r\n")  // leave during the handler
                    default:
                        try c.send("BROKEN\r\n\r\n")
                        _ = try c.readResponse()
                    }
                }
            }
            #expect(await eventually(timeout: .seconds(15)) { server.statistics.openConnections == 0 })
            #expect(server.statistics.acceptedConnections == 300)
            // Precise: no fd of ours is a server-side connection socket any more.
            let held = ownSocketInodes().intersection(serverSideSocketInodes(port: port))
            #expect(held.isEmpty, "server still holds \(held.count) connection sockets")
            // Coarse: the process fd count stays bounded. Other suites run concurrently (the transport tests alone
            // can hold dozens of loopback sockets), so allow slack below the 300 a full leak of this test would be;
            // a partial leak is what the precise check above is for.
            let after = openFDCount()
            #expect(after - before < 250, "fds before \(before), after \(after)")
        }
    }

    @Test func signalSourceStopsServer() async throws {
        let server = HTTPServer(configuration: .init(port: 0), handler: { _ in .text(200, "x") })
        _ = try server.start()
        // libdispatch registers the signal source asynchronously, so re-send until it fires
        // (exitOnRepeat off so a late duplicate cannot end the test process).
        let signals = ShutdownSignals(signals: [SIGUSR2], exitOnRepeat: false) { _ in await server.stop() }
        let fired = await eventually {
            if !signals.hasFired { kill(getpid(), SIGUSR2) }
            return signals.hasFired
        }
        #expect(fired)
        #expect(await eventually { server.isFinished })
        signals.cancel()
    }

    @Test func invalidPercentEncodingIs400() async throws {
        try await withServer(handler: echoHandler) { _, port in
            let r = try await rawExchange(port: port, "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(r.status == 400)
        }
    }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// The calling thread's kernel name (a synchronous function, so async code may ask).
func currentThreadName() -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = getThreadName(pthread_self(), &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@_silgen_name("pthread_getname_np") private func getThreadName(_ thread: pthread_t, _ name: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32
