import DiscoCore
import Foundation
import Testing
@testable import DiscoServer

/// Replays every seed and finding in Fixtures/fuzz/{http,ini,inject} through the parsers (Fuzz/run.sh fuzzes them),
/// and pins what the fuzzers found.
@Suite struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    static func inputs(_ name: String) throws -> [(String, Data)] {
        let folder = fixtures.appendingPathComponent(name)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    /// Fuzz/run.sh ini found that `[ ]` made a section with an empty name, which `[]` is refused as.
    @Test func blankSectionNamesAreRefused() {
        for text in ["[ ]\nk = v\n", "[\t]\n", "[]\n"] {
            #expect(throws: ConfigurationError.self) { try INIFile(path: "x.cfg", text: text) }
        }
        #expect((try? INIFile(path: "x.cfg", text: "[ a ]\nk = v\n"))?.value("a", "k") == "v")
    }

    @Test func iniSeedsParseOrFailWithALine() throws {
        let seeds = try Self.inputs("ini")
        #expect(seeds.count >= 4)
        for (name, data) in seeds {
            let text = String(decoding: data, as: UTF8.self)
            do {
                _ = try INIFile(path: name, text: text)
            } catch {
                #expect(error.line != nil, "\(name): \(error)")
            }
        }
    }

    @Test func httpSeedsParseTheSameInAnyPieces() throws {
        let seeds = try Self.inputs("http")
        #expect(seeds.count >= 5)
        for (name, data) in seeds {
            let bytes = Array(data.dropFirst())
            func feed(_ size: Int) -> [String] {
                var parser = HTTPRequestParser()
                var buffer = InputBuffer()
                var out: [String] = []
                var offset = 0
                while offset < bytes.count {
                    let end = min(bytes.count, offset + size)
                    buffer.append(contentsOf: bytes[offset..<end])
                    offset = end
                    loop: while out.count < 64 {
                        do {
                            switch try parser.parse(&buffer) {
                            case .needMore: break loop
                            case .expectContinue: out.append("100")
                            case .request(let r): out.append("\(r.method) \(r.target) \(r.headers.count) \(r.body.count)")
                            }
                        } catch {
                            out.append("error \(error.status)")
                            return out
                        }
                    }
                    buffer.compact()
                }
                return out
            }
            let whole = feed(bytes.count)
            #expect(!whole.isEmpty, "\(name) produced nothing")
            for size in [1, 2, 7] { #expect(feed(size) == whole, "\(name) in \(size)-byte pieces") }
        }
    }

    @Test func injectSeedsParseOrFailInside() throws {
        let seeds = try Self.inputs("inject")
        #expect(seeds.count >= 5)
        for (name, data) in seeds {
            let text = String(decoding: data, as: UTF8.self)
            do {
                let names = try InjectParser.parse(text).map(\.name)
                #expect(names.allSatisfy { !$0.isEmpty }, "\(name)")
            } catch {
                #expect(error.offset >= 0 && error.offset <= max(text.unicodeScalars.count, InjectParser.maxLength), "\(name)")
            }
        }
    }
}
