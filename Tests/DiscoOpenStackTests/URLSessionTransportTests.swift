@testable import DiscoOpenStack
import Foundation
import Testing

/// `URLSessionTransport` against a loopback server: what a request carries, how failures read, and that
/// cancellation ends a call at once without cancelling the `URLSessionTask` (which deadlocks or crashes
/// FoundationNetworking on Linux when it races the task's completion).
@Suite struct URLSessionTransportTests {
    @Test func carriesMethodHeadersAndBodyBothWays() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let response = try await URLSessionTransport().send(HTTPRequest(
            method: "POST", url: server.url("/v3/echo?x=1"), headers: [("X-Test", "hello")], body: Data("payload".utf8)))
        #expect(response.status == 200)
        #expect(response.text == "POST /v3/echo?x=1 payload")
        #expect(response.header("x-echo-header") == "hello")
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingAnUnansweredRequestEndsItAtOnce() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let transport = URLSessionTransport()
        // The server never answers and the timeout is beyond the test's time limit: only cancellation can end it.
        let call = Task { try await transport.send(HTTPRequest(method: "GET", url: server.url("/hold"), timeout: 300)) }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
    }

    @Test func aCallCancelledBeforeItStartsSendsNothing() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let transport = URLSessionTransport()
        let call = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(HTTPRequest(method: "GET", url: server.url("/hold"), timeout: 300))
        }
        await #expect(throws: CancellationError.self) { try await call.value }
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellationsRacingAnswersAllEndCleanly() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let transport = URLSessionTransport()
        var answered = 0, cancelled = 0, other: [String] = []
        // Cancel at random moments around the loopback round trip, so cancellation and completion collide.
        for _ in 0..<25 {
            await withTaskGroup(of: Result<Int, any Error>.self) { group in
                for _ in 0..<16 {
                    let call = Task { try await transport.send(HTTPRequest(method: "GET", url: server.url("/race"))) }
                    group.addTask {
                        try? await Task.sleep(for: .microseconds(Int.random(in: 0...2_000)))
                        call.cancel()
                        do { return .success(try await call.value.status) } catch { return .failure(error) }
                    }
                }
                for await outcome in group {
                    switch outcome {
                    case .success(200): answered += 1
                    case .failure(is CancellationError): cancelled += 1
                    case let .success(status): other.append("status \(status)")
                    case let .failure(error): other.append("\(error)")
                    }
                }
            }
        }
        #expect(other.isEmpty)
        #expect(answered + cancelled == 400)
    }

    @Test func aTimeoutIsReportedAsOne() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let url = server.url("/hold")
        let error = await #expect(throws: TransportError.self) {
            try await URLSessionTransport().send(HTTPRequest(method: "GET", url: url, timeout: 1))
        }
        #expect(error?.isTimeout == true)
        #expect(error?.message.hasPrefix("GET \(url.absoluteString): ") == true)
    }

    @Test func aRefusedConnectionNamesTheRequest() async throws {
        let server = try LoopbackHTTPServer()
        let url = server.url("/v3/auth/tokens")
        server.stop()  // nothing listens on the port any more
        let error = await #expect(throws: TransportError.self) {
            try await URLSessionTransport().send(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
        }
        #expect(error?.isTimeout == false)
        #expect(error?.message.hasPrefix("POST \(url.absoluteString): ") == true)
    }

    // MARK: Bounded reads (a cluster's status service is not trusted)

    @Test func aBoundedReadWithinItsLimitReturnsTheWholeBody() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        for path in ["/bytes/300000", "/chunked/300000", "/echo"] {
            let bounded = try await URLSessionTransport().send(HTTPRequest(method: "GET", url: server.url(path),
                                                                           maxResponseBytes: 300_000))
            #expect(bounded.status == 200)
            #expect(bounded.body.count == (path == "/echo" ? "GET /echo ".utf8.count : 300_000), "\(path)")
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["/bytes/20000000", "/chunked/20000000"])
    func aBodyPastTheLimitFailsTheRead(path: String) async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let url = server.url(path)
        let error = await #expect(throws: TransportError.self) {
            try await URLSessionTransport().send(HTTPRequest(method: "GET", url: url, maxResponseBytes: 1_000_000))
        }
        #expect(error?.isTimeout == false)
        #expect(error?.message == "GET \(url.absoluteString): the answer is longer than the 1000000 bytes DISCO reads")
    }

    /// A peer sending a byte every 50 ms never lets an idle timeout fire; a bounded read ends at its timeout all the
    /// same (only that can end it within the test's time limit: the drip runs until the server stops).
    @Test(.timeLimit(.minutes(1)))
    func aPeerThatDripsBytesCannotHoldABoundedRead() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let url = server.url("/drip")
        let error = await #expect(throws: TransportError.self) {
            try await URLSessionTransport().send(HTTPRequest(method: "GET", url: url, timeout: 2, maxResponseBytes: 4096))
        }
        #expect(error?.isTimeout == true)
        #expect(error?.message == "GET \(url.absoluteString): no whole answer within 2 s")
    }
}
