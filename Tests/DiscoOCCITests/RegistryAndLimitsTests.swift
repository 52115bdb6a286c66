import DiscoOCCI
import Testing

let start = OCCICategory(scheme: "http://x/action#", term: "start", class: .action)
let compute = OCCICategory(scheme: "http://x#", term: "compute", class: .kind, rel: [OCCICategory.resource.typeIdentifier], location: "/compute/", actions: [start.typeIdentifier])
let fast = OCCICategory(scheme: "http://x#", term: "fast", class: .mixin, rel: [compute.typeIdentifier], location: "/fast/")

@Suite("Category registry: the query interface (§4)")
struct RegistryTests {
    let registry = OCCICategoryRegistry([.entity, .resource, .link, compute, fast, start])

    @Test("Lookup by type identifier, scheme+term and location; class listings")
    func lookup() {
        #expect(registry.category(typeIdentifier: "http://x#compute") == compute)
        #expect(registry.category(scheme: "http://x#", term: "fast") == fast)
        #expect(registry.category(location: "/compute/") == compute)
        #expect(registry.category(location: "/nope/") == nil)
        #expect(registry.kinds.map(\.term) == ["entity", "resource", "link", "compute"])
        #expect(registry.mixins == [fast])
        #expect(registry.actions == [start])
    }

    @Test("Filtering: none → all; exact by type identifier; related on request; unknown → 400")
    func filtering() throws {
        #expect(try registry.filter([]).count == 6)
        let byTerm = try registry.filter(try parser.parseCategoryHeader(#"compute;scheme="http://x#""#))
        #expect(byTerm == [compute])
        #expect(try registry.filter([compute], includeRelated: true) == [compute, fast, start])
        do {
            _ = try registry.filter([OCCICategory(scheme: "http://y#", term: "z")])
            Issue.record("unknown filter accepted")
        } catch {
            #expect(error.code == .unknownCategory)
            #expect(error.httpStatus == 400)
            #expect(error.description.contains("http://y#z"))
        }
    }

    @Test("classify: request categories without class resolve to Kind and Mixins")
    func classify() throws {
        let request = try parser.parseRequest(headers: [("Category", #"fast; scheme="http://x#", compute; scheme="http://x#""#)], body: "", contentType: "text/occi")
        let (kind, mixins) = try registry.classify(request.categories)
        #expect(kind == compute)
        #expect(mixins == [fast])
        #expect(throws: OCCIParseError.self) { try registry.classify([fast]) }  // no kind
        #expect(throws: OCCIParseError.self) { try registry.classify([OCCICategory(scheme: "http://x#", term: "compute", class: .mixin)]) }  // wrong class
        #expect(try registry.classify([fast], requireKind: false).kind == nil)
    }

    @Test("register replaces, remove keeps the index consistent")
    func mutation() {
        var r = registry
        #expect(r.register(OCCICategory(scheme: "http://x#", term: "compute", class: .kind, title: "new")) == false)
        #expect(r.category(typeIdentifier: "http://x#compute")?.title == "new")
        #expect(r.remove(typeIdentifier: fast.typeIdentifier) == fast)
        #expect(r.category(typeIdentifier: start.typeIdentifier) == start)
        #expect(r.categories.count == 5)
    }
}

@Suite("Limits: absurd inputs are rejected quickly with a clear error")
struct LimitsTests {
    @Test("More than 1,000 attributes")
    func tooManyAttributes() {
        let header = (0...1000).map { "a\($0)=1" }.joined(separator: ",")
        do {
            _ = try parser.parseAttributeHeader(header)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .tooManyItems)
            #expect(error.description.contains("more than 1000 attributes"))
        }
        #expect((try? parser.parseAttributeHeader((0..<1000).map { "a\($0)=1" }.joined(separator: ",")))?.count == 1000)
    }

    @Test("A value over 64 KiB, quoted or bare")
    func valueTooLong() {
        for value in ["\"" + String(repeating: "x", count: 65 * 1024) + "\"", String(repeating: "y", count: 65 * 1024)] {
            do {
                _ = try parser.parseAttributeHeader("a=" + value)
                Issue.record("accepted")
            } catch {
                #expect(error.code == .valueTooLong)
                #expect(error.httpStatus == 400)
            }
        }
    }

    @Test("A request over the total input limit is 413")
    func inputTooLarge() {
        var limits = OCCIParser.Limits()
        limits.maxInputBytes = 1000
        let small = OCCIParser(limits: limits)
        do {
            _ = try small.parseRequest(headers: [("X-OCCI-Attribute", "a=1")], body: String(repeating: "z", count: 1000), contentType: nil)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .inputTooLarge)
            #expect(error.httpStatus == 413)
        }
    }

    @Test("JSON nesting is capped")
    func deepJSON() {
        let deep = String(repeating: "[", count: 100_000)
        do {
            _ = try parser.parseRequest(headers: [], body: deep, contentType: "application/json")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .malformedJSON)
            #expect(error.description.contains("deeper than 64"))
        }
    }

    /// A long input named by its shape: the test log shows the name and size, never the megabytes themselves.
    struct LongInput: Sendable, CustomTestStringConvertible {
        let shape: String
        let field: String
        let value: String
        var contentType: String? = nil
        /// `parsed`, or the code of the error it is refused with.
        var outcome: String
        var testDescription: String { "\(field): \(shape) (\(value.utf8.count) bytes)" }
    }

    static let pathological: [LongInput] = [
        LongInput(shape: "many escaped quotes", field: "X-OCCI-Attribute", value: String(repeating: "a=\"\\\"\",", count: 200_000), outcome: "tooManyItems"),
        LongInput(shape: "one unterminated quote", field: "X-OCCI-Attribute", value: "a=\"" + String(repeating: ",", count: 2_000_000), outcome: "unterminatedQuote"),
        LongInput(shape: "only semicolons", field: "Category", value: String(repeating: ";", count: 2_000_000), outcome: "malformedCategory"),
        LongInput(shape: "many parameters", field: "Category", value: "c; scheme=\"http://x#\"" + String(repeating: "; x=y", count: 300_000),
                  outcome: "parsed"),
        LongInput(shape: "only angle brackets", field: "Link", value: String(repeating: "<", count: 2_000_000), outcome: "unterminatedQuote"),
        LongInput(shape: "many parameters", field: "Link", value: "</a>" + String(repeating: ";a=1", count: 300_000), outcome: "tooManyItems"),
        LongInput(shape: "many locations", field: "X-OCCI-Location", value: String(repeating: "/a,", count: 600_000), outcome: "tooManyItems"),
        LongInput(shape: "many attribute lines", field: "body", value: String(repeating: "X-OCCI-Attribute: a=1\n", count: 90_000),
                  contentType: "text/plain", outcome: "tooManyItems"),
        LongInput(shape: "deep then long JSON", field: "body",
                  value: String(repeating: "{\"a\":", count: 60) + String(repeating: "[1,", count: 500_000), contentType: "application/json", outcome: "malformedJSON"),
    ]

    /// What each long input comes to: parsed, or refused with the error's code. How its time grows with its length (a
    /// linear parse) is measured by `disco-bench occi-parse` (Benchmarks/README.md), not here.
    @Test("Long inputs (each ≤ ~2 MB) are parsed or refused with a specific error", arguments: pathological)
    func longInputs(input: LongInput) {
        let outcome: String
        do {
            if input.field == "body" {
                _ = try parser.parseRequest(headers: [], body: input.value, contentType: input.contentType)
            } else {
                _ = try parser.parseRequest(headers: [(input.field, input.value)], body: "", contentType: "text/occi")
            }
            outcome = "parsed"
        } catch {
            outcome = "\(error.code)"
        }
        #expect(outcome == input.outcome, "\(input.testDescription)")
    }
}
