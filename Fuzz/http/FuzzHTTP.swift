// libFuzzer harness for the HTTP/1.1 request parser (Sources/DiscoServer/HTTP/HTTPRequestParser.swift), compiled
// together with the parser's sources by Fuzz/run.sh.
//
// Input: the first byte picks how the rest is fed to the parser (byte % 4): 0 all at once, 1 one byte at a time,
// 2 in two pieces split at the second byte (as an offset), 3 in 7-byte pieces. Whatever the feeding, the parser
// must produce the same events (requests, 100-continue, or the same error) as feeding everything at once — the
// parser's contract is that a request split at any byte boundary parses the same. Requests must respect the limits.

@_cdecl("LLVMFuzzerTestOneInput")
public func httpFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    HTTPFuzz.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

enum HTTPFuzz {
    static let limits = HTTPParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 2048)

    /// One observable outcome of the parser, comparable across feedings.
    enum Outcome: Equatable {
        case request(method: String, target: String, version: String, headers: [String], body: [UInt8], keepAlive: Bool)
        case expectContinue
        case error(HTTPParseError)
    }

    static func run(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        let rest = Array(input.dropFirst())
        let whole = feed(rest, pieces: [rest.count])
        let pieces: [Int]
        switch mode % 4 {
        case 0: return
        case 1: pieces = Array(repeating: 1, count: rest.count)
        case 2:
            let cut = rest.isEmpty ? 0 : Int(rest[0]) % (rest.count + 1)
            pieces = [cut, rest.count - cut]
        default: pieces = stride(from: 0, to: rest.count, by: 7).map { min(7, rest.count - $0) }
        }
        let split = feed(rest, pieces: pieces)
        precondition(whole == split, "feeding in pieces \(pieces.prefix(8)) changed the outcome:\n\(whole)\nvs\n\(split)")
    }

    /// Feeds `bytes` in pieces of the given sizes, collecting outcomes until an error (the server closes then).
    static func feed(_ bytes: [UInt8], pieces: [Int]) -> [Outcome] {
        var parser = HTTPRequestParser(limits: limits)
        var buffer = InputBuffer()
        var outcomes: [Outcome] = []
        var offset = 0
        for size in pieces where size > 0 {
            buffer.append(contentsOf: bytes[offset..<(offset + size)])
            offset += size
            while outcomes.count < 64 {
                let event: HTTPRequestParser.Event
                do {
                    event = try parser.parse(&buffer)
                } catch {
                    precondition(!error.description.isEmpty && (400...505).contains(error.status))
                    outcomes.append(.error(error))
                    return outcomes
                }
                switch event {
                case .needMore:
                    break
                case .expectContinue:
                    outcomes.append(.expectContinue)
                    continue
                case .request(let r):
                    precondition(r.body.count <= limits.maxBodyBytes, "body over the limit")
                    precondition(r.headers.count <= limits.maxHeaderCount, "too many headers accepted")
                    precondition(r.target.unicodeScalars.count <= limits.maxRequestLineBytes, "target over the limit")
                    outcomes.append(.request(method: r.method, target: r.target, version: r.version,
                                             headers: r.headers.entries.map { "\($0.name): \($0.value)" },
                                             body: Array(r.body), keepAlive: r.keepAlive))
                    continue
                }
                break
            }
            buffer.compact()
        }
        return outcomes
    }
}
