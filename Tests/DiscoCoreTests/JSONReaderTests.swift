import Foundation
import Testing
@testable import DiscoCore

@Suite struct JSONReaderTests {
    /// Runs `body` with a reader over `text`.
    func read<T>(_ text: String, _ body: (inout JSONReader) throws -> T) throws -> T {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBytes { raw in
            var reader = JSONReader(UnsafeRawBufferPointer(raw))
            let value = try body(&reader)
            try reader.end()
            return value
        }
    }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{8}\u{c}\n\r\t"),
        (#""caf\u00e9 \u2192 \ud83d\ude00""#, "café → 😀"),
        (#""naïve — ok""#, "naïve — ok"),
        (#""""#, ""),
    ])
    func stringsWithEscapes(json: String, expected: String) throws {
        #expect(try read(json) { (r: inout JSONReader) in try r.readString() } == expected)
    }

    @Test(arguments: [
        #""unterminated"#, #""bad \x escape""#, #""lone \ud83d surrogate""#, #""low \ude00 first""#, "\"tab\there\"",
        #""short \u12""#, "nope",
    ])
    func badStringsFail(json: String) {
        #expect(throws: JSONReader.Failure.self) { try read(json) { (r: inout JSONReader) in try r.readString() } }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(JSONReader.isValidUTF8(UnsafeRawBufferPointer(start: nil, count: 0)))
        for bad: [UInt8] in [[0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x86]] {
            #expect(!bad.withUnsafeBytes(JSONReader.isValidUTF8), "\(bad)")
        }
        for good in ["é", "→", "😀", "plain"] {
            #expect(Array(good.utf8).withUnsafeBytes(JSONReader.isValidUTF8), "\(good)")
        }
    }

    @Test(arguments: [("0", 0), ("42", 42), ("-7", -7), ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min)])
    func integers(json: String, expected: Int) throws {
        #expect(try read(json) { (r: inout JSONReader) in try r.readInt() } == expected)
    }

    @Test(arguments: ["9223372036854775808", "01", "1.5", "2e3", "-", "x"])
    func badIntegersFail(json: String) {
        #expect(throws: JSONReader.Failure.self) { try read(json) { (r: inout JSONReader) in try r.readInt() } }
    }

    @Test func datesAsJSONEncoderWritesThem() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        for seconds in [0, 951_782_400, 1_767_225_600, 4_102_444_799, -86_400] as [Double] {
            let date = Date(timeIntervalSince1970: seconds)
            let json = String(decoding: try encoder.encode(date), as: UTF8.self)
            #expect(try read(json) { (r: inout JSONReader) in try r.readDate() } == date, "\(json)")
        }
        for bad in [#""2026-01-01 00:00:00Z""#, #""2026-13-01T00:00:00Z""#, #""2026-01-01T00:00:00+01:00""#, #""2026-01-01T00:00:00.5Z""#] {
            #expect(throws: JSONReader.Failure.self) { try read(bad) { (r: inout JSONReader) in try r.readDate() } }
        }
    }

    @Test func objectsArraysAndSkipping() throws {
        let json = #" { "a" : [1, 2, {"x": [true, false, null, -1.5e3, "s\"q"]}], "b": {"c": "d"}, "n": null } "#
        let result = try read(json) { (r: inout JSONReader) -> [String] in
            var seen: [String] = []
            try r.beginObject()
            while let key = try r.nextKey() {
                seen.append(key)
                if key == "b" { seen.append(contentsOf: try r.readStringDictionary().map { "\($0.key)=\($0.value)" }) }
                else if key == "n" { seen.append(r.readNull() ? "null" : "?") }
                else { try r.skipValue() }
            }
            return seen
        }
        #expect(result == ["a", "b", "c=d", "n", "null"])
    }

    @Test(arguments: [#"{"a":1,}"#, #"{"a" 1}"#, "[1 2]", "[1,]", #"{"a":1} x"#, "{"])
    func malformedContainersFail(json: String) {
        #expect(throws: JSONReader.Failure.self) {
            try read(json) { (r: inout JSONReader) in try r.skipValue() }
        }
    }

    /// Fuzz/run.sh store: a backslash as the last byte of a skipped string moved the reader past the buffer's end.
    @Test func fuzzFindingsStayInsideTheBuffer() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/store")
        let findings = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("regression-") }
        #expect(!findings.isEmpty)
        for name in findings {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            bytes.withUnsafeBytes { raw in
                var reader = JSONReader(raw)
                #expect(throws: JSONReader.Failure.self, "\(name)") { try reader.skipValue() }
                #expect(reader.offset <= raw.count, "\(name)")
            }
        }
        var short = Array(#""abc\"#.utf8)
        short.withUnsafeMutableBytes { raw in
            var reader = JSONReader(UnsafeRawBufferPointer(raw))
            #expect(throws: JSONReader.Failure.self) { try reader.skipValue() }
            #expect(reader.offset <= raw.count)
        }
    }

    @Test func identicalBytesAreReadOnceAndShared() throws {
        var memo: (bytes: [UInt8], value: [String])?
        var parses = 0
        let json = #"[["a","b"], ["a","b"], ["a","c"]]"#
        let lists = try read(json) { (r: inout JSONReader) -> [[String]] in
            var lists: [[String]] = []
            try r.beginArray()
            while try r.nextElement() {
                lists.append(try r.readReusing(&memo) { (r) throws(JSONReader.Failure) in
                    parses += 1
                    return try r.readStringArray()
                })
            }
            return lists
        }
        #expect(lists == [["a", "b"], ["a", "b"], ["a", "c"]])
        #expect(parses == 2)
        lists[0].withUnsafeBufferPointer { first in
            lists[1].withUnsafeBufferPointer { second in #expect(first.baseAddress == second.baseAddress) }
        }
    }
}
