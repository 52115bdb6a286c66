// libFuzzer harness for the `icclab.disco.dependencies.inject` parser (Sources/DiscoCore/Planning/InjectParser.swift),
// compiled together with it by Fuzz/run.sh.
//
// Besides crashes, hangs and stack exhaustion (nesting): an error's offset must lie inside the value, every
// component name returned must be non-empty without whitespace, and the names re-written as a JSON list must
// parse to the same names.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func injectFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    InjectFuzz.run(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

enum InjectFuzz {
    static func run(_ text: String) {
        let parsed: [(name: String, properties: [String: String])]
        do {
            parsed = try InjectParser.parse(text)
        } catch {
            precondition(!error.description.isEmpty)
            precondition(error.offset >= 0 && error.offset <= max(text.unicodeScalars.count, InjectParser.maxLength),
                         "offset \(error.offset) outside the value")
            return
        }
        for item in parsed {
            precondition(!item.name.isEmpty, "empty component name")
            precondition(!item.name.unicodeScalars.contains { $0.properties.isWhitespace }, "name with whitespace")
        }
        let names = parsed.map(\.name)
        guard names.allSatisfy({ !$0.contains("\"") && !$0.contains("\\") }),
              !names.joined().unicodeScalars.contains(where: { $0.value < 0x20 }) else { return }
        let json = "[" + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        guard json.utf8.count <= InjectParser.maxLength else { return }
        do {
            let again = try InjectParser.parse(json)
            precondition(again.map(\.name) == names, "names changed when re-written as \(json)")
        } catch {
            preconditionFailure("names re-written as \(json) do not parse: \(error)")
        }
    }
}
