import Foundation

/// One complete HTTP request as received by ``HTTPServer``.
///
/// The server owns framing: by the time a handler sees a request, its body is complete
/// (de-chunked) and within ``HTTPServer/Configuration/maxBodyBytes``.
struct HTTPServerRequest: Sendable {
    /// Uppercased method token, e.g. `"GET"` (tokens are case-sensitive on the wire; we uppercase).
    var method: String
    /// The raw request-target, e.g. `"/disco/abc?action=x"`.
    var target: String
    /// The percent-decoded path without the query.
    var path: String
    /// Decoded query parameters (`+` as space), in order.
    var query: [(name: String, value: String)]
    /// `"HTTP/1.1"` or `"HTTP/1.0"`.
    var version: String
    var headers: HTTPHeaders
    var body: Data
    /// `"127.0.0.1:54321"` (IPv6 as `"[::1]:54321"`).
    var remoteAddress: String
    /// Short unique id, or the client's `X-Request-ID` when it is valid.
    var requestID: String
    /// When the first byte of this request was received (monotonic), for latency logging.
    var startTime: ContinuousClock.Instant
    /// Wall-clock time the first byte was received.
    var receivedAt: Date

    init(
        method: String,
        target: String,
        version: String = "HTTP/1.1",
        headers: HTTPHeaders = [:],
        body: Data = Data(),
        remoteAddress: String = "127.0.0.1:0",
        requestID: String? = nil,
        startTime: ContinuousClock.Instant = .now,
        receivedAt: Date = Date()
    ) {
        let (path, query) = HTTPServerRequest.splitTarget(target)
        self.init(
            method: method, target: target, path: path ?? target, query: query, version: version,
            headers: headers, body: body, remoteAddress: remoteAddress, requestID: requestID,
            startTime: startTime, receivedAt: receivedAt
        )
    }

    /// Memberwise initialiser for an already split target.
    init(
        method: String,
        target: String,
        path: String,
        query: [(name: String, value: String)],
        version: String,
        headers: HTTPHeaders,
        body: Data,
        remoteAddress: String,
        requestID: String?,
        startTime: ContinuousClock.Instant,
        receivedAt: Date
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID ?? RequestIDGenerator.shared.next()
        self.startTime = startTime
        self.receivedAt = receivedAt
    }

    /// The client's address without its port (`127.0.0.1`, `[::1]`): what per-client limits count.
    var peer: String {
        guard let colon = remoteAddress.lastIndex(of: ":"), !remoteAddress[colon...].contains("]") else { return remoteAddress }
        return String(remoteAddress[..<colon])
    }

    /// The first value of query parameter `name`.
    func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// All values of query parameter `name`, in order.
    func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// The body as UTF-8 text (lossy).
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    // MARK: - Target parsing

    /// Splits a request-target into a decoded path and decoded query.
    ///
    /// Returns a `nil` path when the path's percent-encoding is invalid.
    static func splitTarget(_ target: String) -> (path: String?, query: [(name: String, value: String)]) {
        // Byte scans: `?`, `#` and `/` are ASCII, so their UTF-8 indices are valid String indices.
        let utf8 = target.utf8
        var rawPath = Substring(target)
        var rawQuery: Substring? = nil
        if let q = utf8.firstIndex(of: UInt8(ascii: "?")) {
            rawPath = target[..<q]
            rawQuery = target[utf8.index(after: q)...]
        }
        if let query = rawQuery, let hash = query.utf8.firstIndex(of: UInt8(ascii: "#")) { rawQuery = query[..<hash] }
        if let hash = rawPath.utf8.firstIndex(of: UInt8(ascii: "#")) { rawPath = rawPath[..<hash] }
        // absolute-form: http://host:port/path
        if rawPath.utf8.first != UInt8(ascii: "/"), let scheme = rawPath.range(of: "://") {
            let afterAuthority = rawPath[scheme.upperBound...]
            if let slash = afterAuthority.utf8.firstIndex(of: UInt8(ascii: "/")) {
                rawPath = afterAuthority[slash...]
            } else {
                rawPath = "/"
            }
        }
        let path = percentDecode(rawPath, plusAsSpace: false)
        var query: [(name: String, value: String)] = []
        if let rawQuery, !rawQuery.isEmpty {
            for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                let name: Substring, value: Substring
                if let eq = pair.utf8.firstIndex(of: UInt8(ascii: "=")) {
                    name = pair[..<eq]
                    value = pair[pair.utf8.index(after: eq)...]
                } else {
                    name = pair
                    value = ""
                }
                query.append((
                    name: percentDecode(name, plusAsSpace: true) ?? String(name),
                    value: percentDecode(value, plusAsSpace: true) ?? String(value)
                ))
            }
        }
        return (path, query)
    }

    /// Percent-decodes `s` as UTF-8; `nil` on a bad escape or invalid UTF-8.
    static func percentDecode<S: StringProtocol>(_ s: S, plusAsSpace: Bool) -> String? {
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(s)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var it = utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                bytes.append(hv << 4 | lv)
            } else if plusAsSpace && c == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(c)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Generates short, process-unique request ids: a random 6-char prefix per process plus a counter.
final class RequestIDGenerator: @unchecked Sendable {
    static let shared = RequestIDGenerator()

    private let lock = NSLock()
    private var counter: UInt64 = 0
    private let prefix: String

    init() {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        prefix = String((0..<6).map { _ in alphabet.randomElement()! })
    }

    func next() -> String {
        lock.lock()
        counter &+= 1
        let n = counter
        lock.unlock()
        return prefix + "-" + String(n, radix: 36)
    }

    /// Whether a client-supplied `X-Request-ID` is acceptable: 1–128 chars of `[A-Za-z0-9._:-]`.
    static func isValid(_ id: String) -> Bool {
        let u = id.utf8
        guard !u.isEmpty, u.count <= 128 else { return false }
        return u.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "-")
        }
    }
}
