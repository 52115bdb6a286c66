// libFuzzer harness for the INI configuration parser (Sources/DiscoServer/Config/INIFile.swift), compiled together
// with it by Fuzz/run.sh.
//
// Besides crashes and hangs: an error must name a line inside the text, and whatever parses must parse to the
// same sections, keys and values again when written back out (continuation lines indented).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func iniFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    INIFuzz.run(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

enum INIFuzz {
    static func run(_ text: String) {
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let ini: INIFile
        do {
            ini = try INIFile(path: "fuzz.cfg", text: text)
        } catch {
            precondition(!error.description.isEmpty)
            if let line = error.line { precondition((1...lineCount).contains(line), "error on line \(line) of \(lineCount)") }
            return
        }
        var out = ""
        for (name, entries) in ini.sections.sorted(by: { $0.key < $1.key }) {
            out += "[\(name)]\n"
            for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
                precondition((1...lineCount).contains(entry.line), "entry line out of range")
                let lines = entry.value.split(separator: "\n", omittingEmptySubsequences: false)
                out += "\(key) = \(lines[0])\n" + lines.dropFirst().map { "  \($0)\n" }.joined()
            }
        }
        // Control characters (a lone CR at a line end) are not expected to survive a rewrite.
        guard !out.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else { return }
        guard let again = try? INIFile(path: "rewritten.cfg", text: out) else {
            preconditionFailure("rewritten configuration does not parse:\n\(out)")
        }
        precondition(again.sections.mapValues { $0.mapValues(\.value) } == ini.sections.mapValues { $0.mapValues(\.value) },
                     "rewritten configuration parses differently:\n\(out)")
    }
}
