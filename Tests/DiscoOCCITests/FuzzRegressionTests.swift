import DiscoOCCI
import Foundation
import Testing

/// The fuzz seeds and every crash the fuzzer found (Fixtures/fuzz/occi/regression-*), replayed
/// through the same property the harness checks (Fuzz/occi/FuzzOCCI.swift): whatever parses must
/// render in every rendering, parse again, and be stable after one more round.
@Suite("Fuzz corpus and regressions")
struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz/occi")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test("The corpus is there and holds the regressions")
    func corpusPresent() {
        #expect(Self.files.count >= 16)
        #expect(Self.files.contains("regression-scheme-without-hash.bin"))
        #expect(Self.files.contains("regression-json-action-without-hash.bin"))
    }

    @Test("Replay", arguments: files)
    func replay(file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(file)))
        try check(bytes)
    }

    @Test("Regression: a scheme without '#' is rejected (type identifiers must split back)")
    func schemeWithoutHash() {
        #expect(throws: OCCIParseError.self) { try parser.parseCategoryHeader(#"compute; scheme="http://schemas.ogf.o""#) }
        #expect(throws: OCCIParseError.self) { try parser.parseRequest(headers: [], body: #"{"action": "http:rt"}"#, contentType: "application/json") }
        #expect(throws: OCCIParseError.self) { try parser.parseRequest(headers: [], body: #"{"kind": "nohash"}"#, contentType: "application/json") }
    }

    func check(_ input: [UInt8]) throws {
        guard let mode = input.first else { return }
        let rest = Array(input.dropFirst())
        let contentType: String?
        switch mode % 8 {
        case 0:
            let text = String(decoding: rest, as: UTF8.self)
            let headers: [(String, String)] = text.split(separator: "\n").compactMap { line in
                let p = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                return p.count == 2 ? (String(p[0]), String(p[1])) : nil
            }
            guard let request = try? parser.parseRequest(headers: headers, body: [UInt8](), contentType: "text/occi") else { return }
            try roundTrip(request)
            return
        case 1: contentType = "text/plain"
        case 2: contentType = nil
        case 3: contentType = "text/uri-list"
        case 4: contentType = "application/occi+json"
        default: return
        }
        guard let request = try? parser.parseRequest(headers: [], body: rest, contentType: contentType) else { return }
        try roundTrip(request)
    }

    func roundTrip(_ request: OCCIRequestBody) throws {
        for type in OCCIMediaType.allCases {
            let t1 = renderer.render(request: request, as: type)
            let r2 = try parseBack(t1, joinHeaders: true)
            let t2 = renderer.render(request: r2, as: type)
            let t3 = renderer.render(request: try parseBack(t2, joinHeaders: true), as: type)
            #expect(t2 == t3, "\(type)")
        }
    }
}
