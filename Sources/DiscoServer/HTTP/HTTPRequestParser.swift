import Foundation
import Glibc

/// Incremental HTTP/1.x request parser.
///
/// Feed it the connection's ``InputBuffer`` after each read; it consumes what it can and
/// keeps its place, so a request split at any byte boundary parses the same, and no byte
/// is scanned twice for a line end.
struct HTTPRequestParser {
    enum Event {
        /// More bytes are needed.
        case needMore
        /// The head asked for `Expect: 100-continue`; the body has not been read yet.
        case expectContinue
        /// A complete request.
        case request(ParsedRequest)
    }

    private enum State {
        case requestLine
        case headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    let limits: HTTPParserLimits
    private var state: State = .requestLine
    /// Bytes after `readIndex` already known to hold no LF.
    private var scanned = 0
    private var headerBytes = 0
    private var emptyLinesSkipped = 0
    private var method = ""
    private var target = ""
    private var minorVersion = 1
    private var headers = HTTPHeaders()
    private var body = Data()
    private var keepAlive = true
    private var pendingExpectContinue = false

    init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Whether the parser is part-way through a request (some of it consumed).
    var isMidRequest: Bool {
        if case .requestLine = state { return scanned > 0 }
        return true
    }

    /// Whether the head has been read and the body is still being received.
    var isReadingBody: Bool {
        switch state {
        case .requestLine, .headers: false
        default: true
        }
    }

    /// Consumes bytes from `buffer` and returns the next event.
    mutating func parse(_ buffer: inout InputBuffer) throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .requestLine:
                guard let line = try nextLine(&buffer, limit: limits.maxRequestLineBytes, tooLong: .uriTooLong) else {
                    return .needMore
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request-line.
                    emptyLinesSkipped += 1
                    if emptyLinesSkipped > 8 { throw .badRequest("empty request line") }
                    continue
                }
                try parseRequestLine(buffer.bytes[line])
                headerBytes = line.count + 2
                state = .headers

            case .headers:
                let remaining = limits.maxHeaderBytes - headerBytes
                guard let line = try nextLine(&buffer, limit: max(remaining, 0), tooLong: .headersTooLarge) else {
                    return .needMore
                }
                headerBytes += line.count + 2
                if headerBytes > limits.maxHeaderBytes + 2 { throw .headersTooLarge }
                if line.isEmpty {
                    try finishHead()
                    if pendingExpectContinue {
                        pendingExpectContinue = false
                        return .expectContinue
                    }
                    continue
                }
                if headers.count >= limits.maxHeaderCount { throw .tooManyHeaders }
                let (name, value) = try parseHeaderLine(buffer.bytes[line])
                headers.add(name, value)

            case .fixedBody(let remaining):
                if remaining == 0 { return .request(complete()) }
                let n = min(remaining, buffer.readableCount)
                if n == 0 { return .needMore }
                appendBody(&buffer, n)
                state = .fixedBody(remaining: remaining - n)

            case .chunkSize:
                guard let line = try nextLine(&buffer, limit: 1024, tooLong: .badRequest("chunk size line too long"),
                                              bareLF: .badRequest("chunk size line ends in a bare LF; end it with CRLF")) else {
                    return .needMore
                }
                let size = try parseChunkSize(buffer.bytes[line])
                if size == 0 {
                    state = .trailers
                } else {
                    if size > limits.maxBodyBytes - body.count { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let n = min(remaining, buffer.readableCount)
                if n == 0 { return .needMore }
                appendBody(&buffer, n)
                state = remaining - n == 0 ? .chunkDataEnd : .chunkData(remaining: remaining - n)

            case .chunkDataEnd:
                guard let line = try nextLine(&buffer, limit: 2, tooLong: .badRequest("missing CRLF after chunk data"),
                                              bareLF: .badRequest("chunk data ends in a bare LF; end it with CRLF")) else {
                    return .needMore
                }
                guard line.isEmpty else { throw .badRequest("missing CRLF after chunk data") }
                state = .chunkSize

            case .trailers:
                let remaining = limits.maxHeaderBytes - headerBytes
                guard let line = try nextLine(&buffer, limit: max(remaining, 0), tooLong: .headersTooLarge,
                                              bareLF: .badRequest("chunked body's trailer line ends in a bare LF; end it with CRLF")) else {
                    return .needMore
                }
                headerBytes += line.count + 2
                if line.isEmpty { return .request(complete()) }
                // Trailer fields are validated but not merged into the headers.
                _ = try parseHeaderLine(buffer.bytes[line])
            }
        }
    }

    // MARK: - Lines

    /// Returns the range of the next line (without CR LF) and consumes it, or `nil` if incomplete.
    ///
    /// The request line and header fields may end in a bare LF (RFC 9112 §2.2 lets a recipient accept one, and
    /// nothing after them is framed by where they end). The chunked body's lines pass `bareLF`, the error a line
    /// ending in LF without CR throws: its framing must be CRLF (§7.1), and a proxy in front that reads a bare LF
    /// differently would see other chunk boundaries than this server (request smuggling).
    private mutating func nextLine(_ buffer: inout InputBuffer, limit: Int, tooLong: HTTPParseError,
                                   bareLF: HTTPParseError? = nil) throws(HTTPParseError) -> Range<Int>? {
        let start = buffer.readIndex
        let searchFrom = start + scanned
        let end = buffer.bytes.count
        var found = -1
        if searchFrom < end {
            buffer.bytes.withUnsafeBufferPointer { p in
                if let hit = memchr(p.baseAddress! + searchFrom, 0x0A, end - searchFrom) {
                    found = p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        guard found >= 0 else {
            scanned = end - start
            // A line can be `limit` bytes plus its CR.
            if scanned > limit + 1 { throw tooLong }
            return nil
        }
        var lineEnd = found
        if lineEnd > start && buffer.bytes[lineEnd - 1] == 0x0D {
            lineEnd -= 1
        } else if let bareLF {
            throw bareLF
        }
        if lineEnd - start > limit { throw tooLong }
        buffer.readIndex = found + 1
        scanned = 0
        return start..<lineEnd
    }

    // MARK: - Head

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard let sp1 = line.firstIndex(of: 0x20) else { throw .badRequest("malformed request line") }
        guard let sp2 = line[(sp1 + 1)...].firstIndex(of: 0x20) else { throw .badRequest("malformed request line") }
        let m = line[line.startIndex..<sp1]
        let t = line[(sp1 + 1)..<sp2]
        let v = line[(sp2 + 1)...]
        guard !m.isEmpty, m.allSatisfy(HTTPRequestParser.isTokenChar) else { throw .badRequest("malformed method") }
        guard !t.isEmpty, t.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw .badRequest("malformed request target") }
        let first = t.first!
        guard first == UInt8(ascii: "/") || (t.count == 1 && first == UInt8(ascii: "*"))
            || HTTPRequestParser.isAbsoluteForm(t) else {
            throw .badRequest("malformed request target: use a path starting with '/' or an absolute URI")
        }
        // HTTP-version = "HTTP/" DIGIT "." DIGIT
        guard v.count == 8, v.starts(with: HTTPRequestParser.httpSlash),
              HTTPRequestParser.isDigit(v[v.startIndex + 5]), v[v.startIndex + 6] == UInt8(ascii: "."),
              HTTPRequestParser.isDigit(v[v.startIndex + 7]) else {
            throw .badRequest("malformed HTTP version")
        }
        let major = v[v.startIndex + 5] - 0x30, minor = v[v.startIndex + 7] - 0x30
        guard major == 1, minor <= 1 else { throw .versionNotSupported }
        minorVersion = Int(minor)
        method = HTTPRequestParser.upperMethod(m)
        target = String(decoding: t, as: UTF8.self)
    }

    private static let httpSlash = Array("HTTP/".utf8)

    /// `scheme://…` (RFC 3986 scheme: a letter, then letters, digits, `+`, `-`, `.`).
    private static func isAbsoluteForm(_ t: ArraySlice<UInt8>) -> Bool {
        guard let first = t.first, isAlpha(first) else { return false }
        var i = t.index(after: t.startIndex)
        while i < t.endIndex, isAlpha(t[i]) || isDigit(t[i]) || t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")
                || t[i] == UInt8(ascii: ".") {
            i += 1
        }
        return t[i...].starts(with: schemeSeparator)
    }

    private static let schemeSeparator = Array("://".utf8)

    private func parseHeaderLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let first = line.first, first != 0x20, first != 0x09 else {
            throw .badRequest("obsolete line folding")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .badRequest("malformed header field") }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPRequestParser.isTokenChar) else {
            throw .badRequest("malformed header field name")
        }
        var vs = colon + 1, ve = line.endIndex
        while vs < ve, line[vs] == 0x20 || line[vs] == 0x09 { vs += 1 }
        while ve > vs, line[ve - 1] == 0x20 || line[ve - 1] == 0x09 { ve -= 1 }
        let value = line[vs..<ve]
        for c in value where (c < 0x20 && c != 0x09) || c == 0x7F {
            throw .badRequest("invalid character in header field value")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Decides body framing, keep-alive and expectations once the head is complete.
    private mutating func finishHead() throws(HTTPParseError) {
        let hosts = headers.values("Host")
        if minorVersion == 1 && hosts.count != 1 { throw .badRequest("HTTP/1.1 requires exactly one Host header") }
        if hosts.count > 1 { throw .badRequest("multiple Host headers") }

        let connection = headers
        keepAlive = minorVersion == 1
            ? !connection.containsToken("close", in: "Connection")
            : connection.containsToken("keep-alive", in: "Connection") && !connection.containsToken("close", in: "Connection")

        let te = headers.values("Transfer-Encoding")
        let cl = headers.values("Content-Length")
        var expectsBody = false
        if !te.isEmpty {
            if !cl.isEmpty { throw .badRequest("both Content-Length and Transfer-Encoding") }
            if minorVersion == 0 { throw .badRequest("Transfer-Encoding in HTTP/1.0") }
            let codings = te.flatMap { $0.split(separator: ",").map { $0.trimmingOWS().lowercased() } }
            guard codings.last == "chunked" else { throw .badRequest("request Transfer-Encoding must end in chunked") }
            guard codings.count == 1 else {
                if codings.dropLast().contains("chunked") { throw .badRequest("chunked applied twice") }
                throw .notImplemented("transfer coding \(codings.joined(separator: ", "))")
            }
            state = .chunkSize
            expectsBody = true
        } else if !cl.isEmpty {
            var length: Int? = nil
            for value in cl {
                for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let p = part.trimmingOWS()
                    guard !p.isEmpty, p.utf8.count <= 18, p.utf8.allSatisfy(HTTPRequestParser.isDigit), let n = Int(p) else {
                        throw .badRequest("invalid Content-Length")
                    }
                    if let length, length != n { throw .badRequest("conflicting Content-Length values") }
                    length = n
                }
            }
            let n = length ?? 0
            if n > limits.maxBodyBytes { throw .bodyTooLarge }
            state = .fixedBody(remaining: n)
            expectsBody = n > 0
        } else {
            state = .fixedBody(remaining: 0)
        }

        if let expect = headers["Expect"] {
            guard HTTPHeaders.equalsIgnoringCase(expect.trimmingOWS(), "100-continue") else { throw .expectationFailed }
            pendingExpectContinue = minorVersion == 1 && expectsBody
        }
        // Reserve modestly: a client can announce a large body and then send nothing.
        if expectsBody, case .fixedBody(let n) = state { body.reserveCapacity(min(n, 64 * 1024)) }
    }

    private mutating func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var i = line.startIndex
        while i < line.endIndex, let h = HTTPServerRequest.hexValue(line[i]) {
            if size > (Int.max >> 4) { throw .badRequest("chunk size overflow") }
            size = size << 4 | Int(h)
            i += 1
        }
        guard i > line.startIndex else { throw .badRequest("malformed chunk size") }
        // Allow BWS then chunk extensions, which we ignore.
        var j = i
        while j < line.endIndex, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
        if j < line.endIndex {
            guard line[j] == UInt8(ascii: ";") else { throw .badRequest("malformed chunk size") }
            for c in line[j...] where (c < 0x20 && c != 0x09) || c == 0x7F {
                throw .badRequest("malformed chunk extension")
            }
        }
        return size
    }

    private mutating func appendBody(_ buffer: inout InputBuffer, _ n: Int) {
        let start = buffer.readIndex
        buffer.bytes.withUnsafeBufferPointer { p in
            body.append(UnsafeBufferPointer(rebasing: p[start..<(start + n)]))
        }
        buffer.readIndex += n
    }

    private mutating func complete() -> ParsedRequest {
        let request = ParsedRequest(
            method: method,
            target: target,
            version: minorVersion == 1 ? "HTTP/1.1" : "HTTP/1.0",
            headers: headers,
            body: body,
            keepAlive: keepAlive
        )
        state = .requestLine
        scanned = 0
        headerBytes = 0
        emptyLinesSkipped = 0
        headers = HTTPHeaders()
        body = Data()
        pendingExpectContinue = false
        return request
    }

    // MARK: - Character classes

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    @inline(__always)
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    /// RFC 9110 tchar.
    static func isTokenChar(_ c: UInt8) -> Bool {
        if isDigit(c) || isAlpha(c) { return true }
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static let knownMethods: [String] = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]

    private static func upperMethod(_ m: ArraySlice<UInt8>) -> String {
        for known in knownMethods where known.utf8.elementsEqual(m) { return known }
        return String(decoding: m.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
