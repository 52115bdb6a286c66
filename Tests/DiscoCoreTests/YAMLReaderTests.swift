import Foundation
import Testing
@testable import DiscoCore

@Suite struct YAMLReaderTests {
    /// The node as a plain tree: String, nil (as "~"), [Any], [(String, Any)] rendered to text for comparison.
    static func render(_ node: YAMLNode) -> String {
        switch node.value {
        case .null: "~"
        case let .scalar(text): "'\(text)'"
        case let .sequence(items): "[" + items.map(render).joined(separator: ", ") + "]"
        case let .mapping(entries): "{" + entries.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    static func read(_ text: String) throws(YAMLError) -> String { render(try YAMLReader.read(text, file: "t.yaml")) }

    @Test func aCloudsFileWithEveryFormItUses() throws {
        let text = """
            # clouds.yaml
            ---
            clouds:
              mycloud:   # the lab
                auth:
                  auth_url: https://keystone.example.org:5000/v3
                  username: "alice"
                  password: 'it''s a "secret"'
                  project_name: 123123
                  user_domain_name: Default
                region_name: RegionOne
                interface:
                regions:
                - RegionOne
                -   name: RegionTwo
                    values: {compute_api_version: 2.1, flags: [a, 'b c', "d\\te"]}
                verify: false
                empty_list: []
                tag: a#b   # a comment
              other:
                - - nested
                  - list
                - ~
                -
            """
        #expect(try Self.read(text) == """
            {clouds: {mycloud: {auth: {auth_url: 'https://keystone.example.org:5000/v3', username: 'alice', \
            password: 'it's a "secret"', project_name: '123123', user_domain_name: 'Default'}, region_name: 'RegionOne', \
            interface: ~, regions: ['RegionOne', {name: 'RegionTwo', values: {compute_api_version: '2.1', flags: ['a', 'b c', 'd\te']}}], \
            verify: 'false', empty_list: [], tag: 'a#b'}, other: [['nested', 'list'], ~, ~]}}
            """)
        let node = try YAMLReader.read(text, file: "t.yaml")
        let auth = try #require(node["clouds"]?["mycloud"]?["auth"])
        #expect((auth.line, auth.column) == (6, 7))
        #expect(auth["username"].map { ($0.line, $0.column) }! == (7, 17))
    }

    @Test func lineEndingsMarkersAndEmptyDocuments() throws {
        #expect(try Self.read("a: 1\r\nb:\r\n  - x\r\n") == "{a: '1', b: ['x']}")
        #expect(try Self.read("\u{FEFF}a: 1\n...\n# done\n") == "{a: '1'}")
        #expect(try Self.read("") == "~")
        #expect(try Self.read("# only a comment\n\n---\n") == "~")
        #expect(try Self.read("just text") == "'just text'")
        #expect(try Self.read("[1, {a: b, c}, [\"x,y\"],]") == "['1', {a: 'b', c: ~}, ['x,y']]")
        #expect(try Self.read("\"a b\": \"\\u00e9\\x41\\U0001F600\\\\\"") == "{a b: 'éA😀\\'}")
        #expect(try Self.read("k:\tv\t# c") == "{k: 'v'}")
    }

    @Test(arguments: [
        ("a: &x 1", "t.yaml:1:4: a: anchors ('&') are not supported; write the value out"),
        ("a: 1\nb: *x", "t.yaml:2:4: b: aliases ('*') are not supported; write the value out"),
        ("a: !!str 1", "t.yaml:1:4: a: tags ('!') are not supported"),
        ("a: |\n  two\n  lines", "t.yaml:1:4: a: block scalars ('|', '>') are not supported; put the value on one line, quoted if needed"),
        ("clouds:\n  x:\n    auth:\n      password: one\n        two",
         "t.yaml:5:9: clouds.x.auth.password: continues the value of line 4, but multi-line values are not supported: put the value on one line (quoted if needed), or indent a key or item as its siblings are"),
        ("a:\n  b: \"open", "t.yaml:2:6: a.b: the double-quoted value does not end on its line (multi-line values are not supported)"),
        ("a:\n\tb: 1", "t.yaml:2:1: a tab in the indentation; indent with spaces"),
        ("a: 1\nb: 2\na: 3", "t.yaml:3:1: duplicate key 'a' (first on line 1)"),
        ("a:\n    b: 1\n  c: 2", "t.yaml:3:3: indented to column 3, but the keys here start at column 1"),
        ("a: 1\n---\nb: 2", "t.yaml:2:1: a second document ('---') is not supported; keep one document per file"),
        ("a: \"\\q\"", "t.yaml:1:5: a: an unknown escape; accepted: \\\\ \\\" \\/ \\0 \\a \\b \\t \\n \\v \\f \\r \\e \\N \\_ \\L \\P \\xHH \\uHHHH \\UHHHHHHHH, and '\\' before a space or tab"),
        ("a: [1, 2", "t.yaml:1:4: a: the '[' does not close on its line (multi-line flow collections are not supported)"),
        ("a:\n  b: 1\n  - c", "t.yaml:3:3: a: a list item where a key was expected (the keys here are a mapping)"),
        ("a: b: c", "t.yaml:1:5: a: a 'key: value' cannot follow on the same line; put it on the next line, indented"),
        ("- a\nb: 1", "t.yaml:2:1: expected a list item ('- ') like the ones above"),
        ("a: \"x\" y", "t.yaml:1:8: a: unexpected text after the value's end (a comment needs a space before '#')"),
        ("a: {b: 1, b: 2}", "t.yaml:1:11: a: duplicate key 'b'"),
        ("? a\n: b", "t.yaml:1:1: complex keys ('? ') are not supported"),
        ("%YAML 1.2\n---\na: 1", "t.yaml:1:1: directives ('%') are not supported"),
        ("a: 1\u{07}", "t.yaml:1:5: a control character (U+0007) is not allowed"),
        ("a: - b", "t.yaml:1:4: a: a list cannot start on the line of its key; put '- ' items on the next lines"),
        ("a: [b: c]", "t.yaml:1:6: a: a 'key: value' inside [ ] is not supported; use { } for a mapping"),
        ("a: 1\n...\nb: 2", "t.yaml:3:1: content after the end of the document ('...')"),
        ("a: @x", "t.yaml:1:4: a: a plain value cannot start with '@'; quote it"),
        ("a: [1,,2]", "t.yaml:1:7: a[1]: a value is missing"),
    ])
    func errorsNameTheLineColumnAndKeyPath(text: String, expected: String) {
        #expect(throws: YAMLError.self) { try YAMLReader.read(text, file: "t.yaml") }
        do { _ = try YAMLReader.read(text, file: "t.yaml") } catch { #expect(error.description == expected) }
    }

    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: YAMLError.self) { try YAMLReader.read(deep, file: "t.yaml") }
        let deepBlock = (0..<100).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        #expect(throws: YAMLError.self) { try YAMLReader.read(deepBlock, file: "t.yaml") }
        let fine = (0..<YAMLReader.maxDepth).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(throws: Never.self) { try YAMLReader.read(fine, file: "t.yaml") }
    }

    /// A password written badly in many ways: no error repeats it.
    @Test func errorsNeverQuoteAValue() {
        let secret = "hunter2-Secret"
        let bad = [
            "password: \"\(secret)", "password: '\(secret)", "password: \(secret)\n  \(secret)", "password: &a \(secret)",
            "password: \(secret): x", "password: [\(secret)", "password: {\(secret)", "password: \"\(secret)\\q\"",
            "password: \"\(secret)\" \(secret)", "password: |\n  \(secret)", "- \(secret)\n\(secret): 1",
            "password: [\(secret): 1]", "password: \(secret)\u{01}", "a: 1\n\(secret)", "password: !\(secret)",
        ]
        for text in bad {
            do {
                _ = try YAMLReader.read(text, file: "clouds.yaml")
                Issue.record("read: \(text.count) characters")
            } catch {
                #expect(!error.description.contains("hunter2"), "\(error)")
            }
        }
    }

    @Test func mergingLaysMappingsOverKeyByKey() throws {
        let base = try YAMLReader.read("clouds:\n  a:\n    auth: {username: u, password: old}\n    region_name: R\n  b: {x: 1}", file: "c.yaml")
        let overlay = try YAMLReader.read("clouds:\n  a:\n    auth:\n      password: new\n  c: {y: 2}\n  b: [1]", file: "s.yaml")
        let merged = base.merging(overlay)
        #expect(Self.render(merged) == "{clouds: {a: {auth: {username: 'u', password: 'new'}, region_name: 'R'}, b: ['1'], c: {y: '2'}}}")
        #expect(merged["clouds"]?["a"]?["auth"]?["password"]?.file == "s.yaml")
        #expect(merged["clouds"]?["a"]?["auth"]?["username"]?.file == "c.yaml")
    }

    /// Fixtures/fuzz/yaml: the seeds of `Fuzz/run.sh yaml` (and any finding kept from it). Each reads, or fails on a
    /// line and column inside the file.
    @Test func fuzzSeedsReadOrFailInsideTheFile() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/yaml")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 8)
        var failed: [String: Int] = [:]
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            // CR LF, LF and CR end lines (as scalars: a Character would join "\r\n").
            let lines = text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars
                .split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" }
            do {
                _ = try YAMLReader.read(text, file: name)
            } catch {
                #expect(error.file == name && (1...lines.count).contains(error.line), "\(error)")
                #expect(error.column >= 1 && error.column <= lines[error.line - 1].count + 1, "\(error)")
                failed[name] = error.line
            }
        }
        #expect(failed == ["anchor.yaml": 1, "block-scalar.yaml": 1, "deep-block.yaml": 66, "deep-flow.yaml": 1,
                           "multiline.yaml": 5, "regression-cr-line-ends.yaml": 5, "tab.yaml": 2])
        let secure = try YAMLReader.read(String(contentsOf: folder.appendingPathComponent("secure.yaml"), encoding: .utf8), file: "s")
        #expect(secure["clouds"]?["devstack-admin"]?["auth"]?["password"]?.text == "tab\there é A \\ \" /")
    }
}
