import DiscoOCCI
import Foundation

/// One long-input shape of the OCCI parser's limits tests, built at a given number of repeats.
struct LongInputShape: Sendable {
    let name: String
    let field: String
    var contentType: String? = nil
    /// Repeats at which the unit test's input is built (about 2 MB).
    let fullRepeats: Int
    let build: @Sendable (Int) -> String
}

let longInputShapes: [LongInputShape] = [
    LongInputShape(name: "X-OCCI-Attribute: many escaped quotes", field: "X-OCCI-Attribute", fullRepeats: 200_000) {
        String(repeating: "a=\"\\\"\",", count: $0) },
    LongInputShape(name: "X-OCCI-Attribute: one unterminated quote", field: "X-OCCI-Attribute", fullRepeats: 2_000_000) {
        "a=\"" + String(repeating: ",", count: $0) },
    LongInputShape(name: "Category: only semicolons", field: "Category", fullRepeats: 2_000_000) { String(repeating: ";", count: $0) },
    LongInputShape(name: "Category: many parameters", field: "Category", fullRepeats: 300_000) {
        "c; scheme=\"http://x#\"" + String(repeating: "; x=y", count: $0) },
    LongInputShape(name: "Link: only angle brackets", field: "Link", fullRepeats: 2_000_000) { String(repeating: "<", count: $0) },
    LongInputShape(name: "Link: many parameters", field: "Link", fullRepeats: 300_000) { "</a>" + String(repeating: ";a=1", count: $0) },
    LongInputShape(name: "X-OCCI-Location: many locations", field: "X-OCCI-Location", fullRepeats: 600_000) {
        String(repeating: "/a,", count: $0) },
    LongInputShape(name: "body: many attribute lines", field: "body", contentType: "text/plain", fullRepeats: 90_000) {
        String(repeating: "X-OCCI-Attribute: a=1\n", count: $0) },
    LongInputShape(name: "body: deep then long JSON", field: "body", contentType: "application/json", fullRepeats: 500_000) {
        String(repeating: "{\"a\":", count: 60) + String(repeating: "[1,", count: $0) },
]

/// How the OCCI parser's time grows with the input: each shape at a quarter, half and all of the unit test's length,
/// the median of `runs` parses each, and the growth from a quarter to all (4 for a linear parse, 16 for a quadratic one).
func occiParse(runs: Int) {
    let parser = OCCIParser(baseURL: "http://localhost:8888")
    func padded(_ text: String) -> String { text.padding(toLength: 42, withPad: " ", startingAt: 0) }
    print(padded("shape (all: ~2 MB)") + ["1/4 ms", "1/2 ms", "all ms", "growth"].map { String(repeating: " ", count: 11 - $0.count) + $0 }.joined())
    for shape in longInputShapes {
        let times = [4, 2, 1].map { divisor -> Double in
            let value = shape.build(shape.fullRepeats / divisor)
            return median((0..<runs).map { _ in
                let start = now()
                if shape.field == "body" {
                    _ = try? parser.parseRequest(headers: [], body: value, contentType: shape.contentType)
                } else {
                    _ = try? parser.parseRequest(headers: [(shape.field, value)], body: "", contentType: "text/occi")
                }
                return now() - start
            })
        }
        print(padded(shape.name) + String(format: "%11.2f%11.2f%11.2f%11.1f", times[0] * 1000, times[1] * 1000, times[2] * 1000,
                                          times[2] / max(times[0], 1e-9)))
    }
}
