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
}
