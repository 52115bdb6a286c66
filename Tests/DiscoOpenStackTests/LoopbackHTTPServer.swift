#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization

/// A minimal HTTP/1.1 server on 127.0.0.1 for testing `URLSessionTransport`: one thread accepts, one thread
/// serves each connection, every answer closes its connection.
///
/// `GET /hold` is read and never answered (the connection stays open until `stop()`); `GET /bytes/N` answers N
/// bytes with a Content-Length, `GET /chunked/N` answers N bytes in 64 KiB chunks without one; `GET /drip` answers
/// a head promising 1 MB and then a byte every 50 ms until `stop()`; any other request is answered `200` with the
/// body `METHOD PATH BODY` and the header `X-Echo-Header` set to the request's `X-Test` value.
///
/// Only the accept thread closes the listening socket, after `stop()` has woken it: closing it under a blocked
/// `accept` would let the number be reused by another test's socket, whose connections this thread would then take.
final class LoopbackHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    /// Held connections, or nil once stopped.
    private let held = Mutex<[Int32]?>([])

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else { close(fd); throw LoopbackError("bind/listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The URL of `path` on this server.
    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Stops accepting and closes the held connections.
    func stop() {
        let fds = held.withLock { held in defer { held = nil }; return held ?? [] }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the accept thread, which closes it
        for fd in fds {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    private var isStopped: Bool { held.withLock { $0 == nil } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if isStopped {
                if client >= 0 { close(client) }
                close(listener)
                return
            }
            if client < 0 {  // EINTR, ECONNABORTED, EMFILE…: try again, a little later
                if errno != EINTR { usleep(1_000) }
                continue
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        guard let request = readRequest(fd) else { close(fd); return }
        if request.path == "/hold" {
            let kept = held.withLock { held in
                held?.append(fd)
                return held != nil
            }
            if !kept { close(fd) }
            return
        }
        let parts = request.path.split(separator: "/")
        if parts.count == 2, parts[0] == "bytes" || parts[0] == "chunked", let count = Int(parts[1]) {
            serveBytes(count, chunked: parts[0] == "chunked", to: fd)
            return
        }
        if request.path == "/drip" {
            drip(to: fd)
            return
        }
        let body = Data("\(request.method) \(request.path) \(request.body)".utf8)
        var head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        if let echo = request.headers["x-test"] { head += "X-Echo-Header: \(echo)\r\n" }
        head += "\r\n"
        let bytes = Data(head.utf8) + body
        _ = write(bytes, to: fd)
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    private func serveBytes(_ count: Int, chunked: Bool, to fd: Int32) {
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var ok = write(Data((chunked ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                   : "HTTP/1.1 200 OK\r\nContent-Length: \(count)\r\nConnection: close\r\n\r\n").utf8), to: fd)
        var left = count
        while ok, left > 0 {
            let piece = chunk.prefix(left)
            ok = chunked ? write(Data(String(piece.count, radix: 16).utf8) + Data("\r\n".utf8) + piece + Data("\r\n".utf8), to: fd)
                         : write(piece, to: fd)
            left -= piece.count
        }
        if ok, chunked { _ = write(Data("0\r\n\r\n".utf8), to: fd) }
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    private func drip(to fd: Int32) {
        var ok = write(Data("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n".utf8), to: fd)
        while ok, !isStopped {
            usleep(50_000)
            ok = write(Data("x".utf8), to: fd)
        }
        close(fd)
    }

    /// Sends all of `bytes`; false when the peer is gone.
    private func write(_ bytes: Data, to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    private struct Request {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        var wanted = Int.max
        while buffer.count < wanted {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            if headEnd == nil, let range = buffer.firstRange(of: separator) {
                headEnd = range.upperBound
                let head = String(decoding: buffer[0..<range.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").lazy
                    .compactMap { line -> Int? in
                        let parts = line.split(separator: ":", maxSplits: 1)
                        guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                        return Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }.first ?? 0
                wanted = range.upperBound + length
            }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[0..<(headEnd - 4)], as: UTF8.self).split(separator: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers,
                       body: String(decoding: buffer[headEnd...], as: UTF8.self))
    }
}

struct LoopbackError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
