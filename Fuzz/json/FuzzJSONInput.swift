// libFuzzer harness for the diagnosis of user JSON (Sources/DiscoCore/Support/JSONInput.swift, over JSONReader),
// compiled together with them by Fuzz/run.sh.
//
// Besides crashes, hangs, deep recursion and out-of-bounds reads: a syntax error names a line and column inside the
// input; whatever the diagnosis walks without a syntax error or a flagged number Foundation parses too (the reader is
// the stricter); a
// number it flags is one Foundation's JSONDecoder cannot make an Int of.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonInputFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    JSONInputFuzz.run(Data(bytes: data, count: size))
    return 0
}

enum JSONInputFuzz {
    static func run(_ data: Data) {
        let problems = JSONInput.diagnose(data)
        if let syntax = problems.first(where: { $0.path == "body" && $0.accepted == "JSON (RFC 8259)" }) {
            precondition(problems.count == 1, "a syntax error with other problems: \(problems)")
            let (line, column) = location(syntax.problem)
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            precondition(line >= 1 && line <= lines.count, "line \(line) of \(lines.count): \(syntax)")
            precondition(column >= 1 && column <= lines[lines.startIndex + line - 1].count + 1, "column \(column): \(syntax)")
            return
        }
        let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        // Foundation also refuses numbers beyond a Double (1e400): those must be among the flagged ones.
        precondition(parsed != nil || !problems.isEmpty, "walked without a syntax error, but Foundation refuses it")
        for problem in problems {
            precondition(problem.problem == "is not a whole number" || problem.problem == "is out of range", "\(problem)")
            guard let text = problem.found, text.count < 40 else { continue }
            precondition((try? JSONDecoder().decode(Int.self, from: Data(text.utf8))) == nil, "Foundation takes \(text) as an Int")
        }
    }

    /// `line L, column C…: …`
    private static func location(_ problem: String) -> (Int, Int) {
        let words = problem.split(separator: " ")
        precondition(words.count >= 4 && words[0] == "line" && words[2] == "column", "no location: \(problem)")
        let line = Int(words[1].dropLast())!
        let column = Int(words[3].prefix(while: \.isNumber))!
        return (line, column)
    }
}
