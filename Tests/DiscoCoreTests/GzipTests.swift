import Foundation
import Testing
@testable import DiscoCore

/// What ``Gzip`` writes, `gunzip` reads back byte for byte (it checks the CRC-32 and the length too).
@Suite struct GzipTests {
    static func gunzip(_ bytes: [UInt8]) async throws -> String {
        try await runBash("base64 -d | gunzip", stdin: Data(bytes).base64EncodedString())
    }

    /// A text the test log names by its shape and size rather than printing it.
    struct Text: Sendable, CustomTestStringConvertible {
        let shape: String
        let value: String
        var testDescription: String { "\(shape) (\(value.utf8.count) bytes)" }
    }

    @Test(arguments: [
        Text(shape: "empty", value: ""),
        Text(shape: "one letter", value: "a"),
        Text(shape: "a short repeat", value: "abcabcabcabcabcabcabcabcabcabc"),
        Text(shape: "one letter, runs longer than the longest match (258)", value: String(repeating: "x", count: 100_000)),
        Text(shape: "a repeated phrase", value: String(repeating: "DISCO install script, ", count: 3_000) + "tail"),
    ])
    func roundTripsThroughGunzip(text: Text) async throws {
        #expect(try await Self.gunzip(Gzip.compress(Array(text.value.utf8))) == text.value)
    }

    @Test func thePreludeRoundTripsAndShrinksToUnderHalf() async throws {
        let prelude = try ComponentCatalog.builtInPrelude()
        let packed = Gzip.compress(Array(prelude.utf8))
        #expect(try await Self.gunzip(packed) == prelude)
        #expect(packed.count * 2 < prelude.utf8.count, "\(packed.count) of \(prelude.utf8.count) bytes")
    }

    @Test func matchesReachBackAcrossTheWholeWindow() async throws {
        // Pseudo-random lines repeated 32,000 bytes later: matches at the window's far end.
        var state: UInt64 = 42
        let line = (0 ..< 32_000).map { _ -> Character in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return Character(UnicodeScalar(UInt8(97 + Int(state >> 33) % 26)))
        }
        let text = String(line) + String(line) + String(line.prefix(500))
        let packed = Gzip.compress(Array(text.utf8))
        #expect(try await Self.gunzip(packed) == text)
        #expect(packed.count < 33_000, "\(packed.count) bytes")  // the second copy is matched, not spelt out
    }

    @Test func crc32OfTheCheckString() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xcbf4_3926)
    }
}
