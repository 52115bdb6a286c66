@testable import DiscoOpenStack
import Foundation
import Testing

/// `JSONValue.parse` reads directly; it must give what decoding through `JSONDecoder` gives.
@Suite struct JSONValueTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func viaDecoder(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    @Test func everyJSONFixtureParsesAsThroughJSONDecoder() throws {
        let files = FileManager.default.enumerator(at: Self.fixtures, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        #expect(files.count > 50)
        var compared = 0
        for file in files {
            let data = try Data(contentsOf: file)
            guard let reference = try? Self.viaDecoder(data) else { continue }  // fuzz seeds that are not JSON on purpose
            #expect(try JSONValue.parse(data) == reference, "\(file.lastPathComponent)")
            compared += 1
        }
        #expect(compared > 50)
    }

    @Test(arguments: [
        "0", "-0", "2", "2.0", "2.5", "2e3", "2.5e-3", "-1.5E+2", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "1e20", "1e300", "123456789012345678901234567890",
        #""a\"b\\c\/d\u00e9\ud83d\ude00\n""#, "true", "false", "null", "[]", "{}",
        #"{"a": [1, {"b": null}, "c"], "d": {"e": 2.5}}"#, " [ 1 , 2 ] ",
    ])
    func valuesParseAsThroughJSONDecoder(text: String) throws {
        let data = Data(text.utf8)
        #expect(try JSONValue.parse(data) == (try Self.viaDecoder(data)))
    }

    @Test(arguments: ["", "[1,]x", "{\"a\" 1}", "[1e400]", "\"\\q\"", String(repeating: "[", count: 600) + String(repeating: "]", count: 600)])
    func whatNeitherReadsIsAnError(text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func whatOnlyFoundationAcceptsStillParses() throws {
        // Foundation takes a trailing comma; the strict reader hands such input to it.
        let data = Data(#"{"a": [1, 2,],}"#.utf8)
        #expect(try JSONValue.parse(data) == (try Self.viaDecoder(data)))
    }
}
