import Foundation
import Glibc

/// A response produced by an ``HTTPHandler``.
///
/// The server adds `Content-Length`, `Date` and `Connection`; a handler may set
/// `Connection: close` to close the connection after this response. Any
/// `Transfer-Encoding` a handler sets is dropped (responses are always length-delimited).
struct HTTPServerResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    static func text(_ status: Int, _ body: String, headers: HTTPHeaders = [:]) -> Self {
        var h = headers
        if !h.contains("Content-Type") { h.add("Content-Type", "text/plain; charset=utf-8") }
        return Self(status: status, headers: h, body: Data(body.utf8))
    }

    /// An `application/json` response from already-encoded JSON text.
    static func json(_ status: Int, _ text: String, headers: HTTPHeaders = [:]) -> Self {
        Self.json(status, Data(text.utf8), headers: headers)
    }

    /// An `application/json` response from already-encoded JSON bytes.
    static func json(_ status: Int, _ data: Data, headers: HTTPHeaders = [:]) -> Self {
        var h = headers
        if !h.contains("Content-Type") { h.add("Content-Type", "application/json") }
        return Self(status: status, headers: h, body: data)
    }

    /// An `application/json` response encoding `value` with `JSONEncoder`; 500 if encoding fails.
    static func json<T: Encodable>(_ status: Int, encoding value: T, encoder: JSONEncoder = JSONEncoder(), headers: HTTPHeaders = [:]) -> Self {
        do {
            return Self.json(status, try encoder.encode(value), headers: headers)
        } catch {
            return text(500, "response encoding failed\n")
        }
    }

    /// An empty-bodied response.
    static func status(_ status: Int, headers: HTTPHeaders = [:]) -> Self {
        Self(status: status, headers: headers)
    }

    /// Whether the handler asked for the connection to be closed.
    var wantsClose: Bool { headers.containsToken("close", in: "Connection") }

    // MARK: - Serialisation

    /// Whether a response with this status may carry a body (RFC 9110 §6.4.1).
    static func statusAllowsBody(_ status: Int) -> Bool {
        !(status >= 100 && status < 200) && status != 204 && status != 304
    }

    /// Serialises the status line, headers (plus `Content-Length`, `Date`, `Connection`) and body.
    ///
    /// - Parameters:
    ///   - isHead: the request was `HEAD`: headers as for `GET`, no body.
    ///   - keepAlive: the connection stays open after this response.
    func serialized(isHead: Bool, keepAlive: Bool) -> [UInt8] {
        var out: [UInt8] = []
        let allowsBody = HTTPServerResponse.statusAllowsBody(status)
        let sendBody = allowsBody && !isHead
        out.reserveCapacity(160 + headers.count * 32 + (sendBody ? body.count : 0))
        out.append(contentsOf: HTTPStatus.statusLine(status))
        var handlerContentLength: String? = nil
        for (name, value) in headers.entries {
            if HTTPHeaders.equalsIgnoringCase(name, "Content-Length") {
                handlerContentLength = value
                continue
            }
            if HTTPHeaders.equalsIgnoringCase(name, "Connection")
                || HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding")
                || HTTPHeaders.equalsIgnoringCase(name, "Date") {
                continue
            }
            HTTPServerResponse.appendHeader(&out, name, value)
        }
        if allowsBody {
            // HEAD may advertise a handler-chosen length with an empty body.
            if isHead, body.isEmpty, let handlerContentLength, Int(handlerContentLength) != nil {
                HTTPServerResponse.appendHeader(&out, "Content-Length", handlerContentLength)
            } else {
                out.append(contentsOf: "Content-Length: ".utf8)
                out.append(contentsOf: String(body.count).utf8)
                out.append(13); out.append(10)
            }
        }
        out.append(contentsOf: HTTPDate.headerLine())
        out.append(contentsOf: keepAlive ? HTTPServerResponse.keepAliveLine : HTTPServerResponse.closeLine)
        out.append(13); out.append(10)
        if sendBody { out.append(contentsOf: body) }
        return out
    }

    private static let keepAliveLine = Array("Connection: keep-alive\r\n".utf8)
    private static let closeLine = Array("Connection: close\r\n".utf8)

    private static func appendHeader(_ out: inout [UInt8], _ name: String, _ value: String) {
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: " "))
        // Never let a handler inject header lines: replace CR/LF/NUL by spaces.
        for c in value.utf8 {
            out.append(c == 13 || c == 10 || c == 0 ? UInt8(ascii: " ") : c)
        }
        out.append(13); out.append(10)
    }
}
