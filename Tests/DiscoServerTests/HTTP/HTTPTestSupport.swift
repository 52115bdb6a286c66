import Foundation
import Glibc
@testable import DiscoServer

/// Runs blocking work on its own thread so tests never block the cooperative pool
/// (which also runs the server's handlers).
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        let thread = Thread {
            do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
        }
        thread.start()
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A parsed HTTP response read by ``RawClient``.
struct RawResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking TCP client for sending arbitrary bytes; use it inside ``offload(_:)``.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// - Parameter source: the local address to connect from (any of 127.0.0.0/8 is a distinct loopback peer).
    init(port: Int, receiveTimeout: Double = 20, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket: \(errno)") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                let e = errno
                close(fd)
                throw TestError("bind \(source): errno \(e)")
            }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw TestError("connect: errno \(e)")
        }
        var tv = timeval(tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - Double(Int(receiveTimeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// The local port, i.e. what the server sees as the remote port.
    var localPort: Int { Socket.localPort(fd) ?? 0 }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestError("send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads more bytes; returns false on EOF, throws on timeout/error.
    @discardableResult
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw TestError("receive timed out") }
        if errno == ECONNRESET { return false }
        throw TestError("recv: errno \(errno)")
    }

    /// Reads one response; `head` for a response to HEAD (no body).
    func readResponse(head: Bool = false) throws -> RawResponse {
        var headerEnd: Int? = nil
        while headerEnd == nil {
            if let r = find([13, 10, 13, 10]) { headerEnd = r } else if try !fill() {
                throw TestError("EOF before response head (got \(buffer.count) bytes)")
            }
        }
        let headText = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        buffer.removeFirst(headerEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw TestError("bad status line \(statusLine)") }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].trimmingOWS()))
        }
        if status / 100 == 1 || status == 204 || status == 304 || head {
            return RawResponse(status: status, headers: headers, body: Data())
        }
        let length = Int(headers["Content-Length"] ?? "0") ?? 0
        while buffer.count < length {
            if try !fill() { throw TestError("EOF in body") }
        }
        let body = Data(buffer[0..<length])
        buffer.removeFirst(length)
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// Reads until EOF; returns whatever bytes arrived (throws on timeout).
    func readToEOF() throws -> [UInt8] {
        while try fill() {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// Whether the server closed the connection (EOF or reset) with no further bytes.
    func isClosedByPeer() throws -> Bool {
        let rest = try readToEOF()
        return rest.isEmpty
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] {
            if Array(buffer[i..<(i + pattern.count)]) == pattern { return i }
        }
        return nil
    }
}

/// Starts a server on an ephemeral port, runs `body`, then stops it.
func withServer<T: Sendable>(
    _ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    handler: @escaping HTTPHandler = { request in .text(200, "hello \(request.path)") },
    _ body: (HTTPServer, Int) async throws -> T
) async throws -> T {
    var configuration = HTTPServer.Configuration(port: 0)
    configuration.drainTimeout = .seconds(2)
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler)
    let port = try server.start()
    do {
        let result = try await body(server, port)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Sends `request` on a fresh connection and reads one response.
func rawExchange(port: Int, _ request: String, head: Bool = false) async throws -> RawResponse {
    try await offload {
        let client = try RawClient(port: port)
        try client.send(request)
        return try client.readResponse(head: head)
    }
}

/// Polls `condition` until true or `timeout` passes.
func eventually(timeout: Duration = .seconds(15), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// Number of open file descriptors of this process.
func openFDCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// Socket inodes held open by this process (from `/proc/self/fd`).
func ownSocketInodes() -> Set<String> {
    let dir = "/proc/self/fd"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    var inodes = Set<String>()
    for name in names {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/\(name)"),
              target.hasPrefix("socket:[") else { continue }
        inodes.insert(String(target.dropFirst(8).dropLast()))
    }
    return inodes
}

/// Inodes of non-listening TCP sockets whose local port is `port` (server-side connection sockets).
func serverSideSocketInodes(port: Int) -> Set<String> {
    var inodes = Set<String>()
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ")
            guard f.count > 9, let colon = f[1].lastIndex(of: ":"),
                  Int(f[1][f[1].index(after: colon)...], radix: 16) == port,
                  f[3] != "0A", f[9] != "0" else { continue }
            inodes.insert(String(f[9]))
        }
    }
    return inodes
}

/// Collects log lines from the server's injectable sink.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    var lines: [String] { lock.withLock { storage } }
    var sink: @Sendable (String) -> Void { { [self] line in lock.withLock { storage.append(line) } } }
}
