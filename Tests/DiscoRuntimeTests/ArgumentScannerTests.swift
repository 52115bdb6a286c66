import DiscoRuntime
import Testing

@Suite struct ArgumentScannerTests {
    @Test func optionsValuesAndPositionals() throws {
        var scanner = ArgumentScanner(["--port=80", "-c", "sm.cfg", "name", "-1", "--", "--not-an-option"])
        #expect(scanner.nextOption() == "--port")
        #expect(try scanner.value(for: "--port") == "80")
        #expect(scanner.nextOption() == "-c")
        #expect(try scanner.value(for: "-c") == "sm.cfg")
        #expect(scanner.nextOption() == nil)
        #expect(scanner.nextPositional() == "name")
        // A number is a positional argument, not an option.
        #expect(scanner.nextOption() == nil)
        #expect(scanner.nextPositional() == "-1")
        // After `--`, everything is positional.
        #expect(scanner.nextOption() == nil)
        #expect(scanner.isPastDoubleDash)
        #expect(scanner.nextPositional() == "--not-an-option")
        #expect(scanner.nextPositional() == nil)
    }

    @Test func valuePolicies() throws {
        var scanner = ArgumentScanner(["--name", "--wait"])
        _ = scanner.nextOption()
        #expect(throws: ArgumentError.missingValue(option: "--name")) { try scanner.value(for: "--name") }
        var dash = ArgumentScanner(["-o", "-"])
        _ = dash.nextOption()
        #expect(try dash.value(for: "-o", accepting: .notAnOptionOrDash) == "-")
        var any = ArgumentScanner(["--token", "-abc"])
        _ = any.nextOption()
        #expect(try any.value(for: "--token", accepting: .anyWord) == "-abc")
        var empty = ArgumentScanner(["--url="])
        _ = empty.nextOption()
        #expect(throws: ArgumentError.missingValue(option: "--url")) { try empty.value(for: "--url", accepting: .anyWord) }
    }

    @Test func typedErrorsNameTheOptionAndWhatIsAccepted() throws {
        var scanner = ArgumentScanner(["--port", "http", "--json=yes", "--ttl", "soon"])
        _ = scanner.nextOption()
        let port = try #require(throws: ArgumentError.self) { try scanner.integer(for: "--port", in: 0...65535) }
        #expect(port.description == "--port: 'http' is not a whole number in 0…65535")
        #expect(scanner.nextOption() == "--json")
        let flag = try #require(throws: ArgumentError.self) { try scanner.flag("--json") }
        #expect(flag.description == "--json takes no value")
        _ = scanner.nextOption()
        let ttl = try #require(throws: ArgumentError.self) { try scanner.seconds(for: "--ttl", minimum: 1) }
        #expect(ttl.description == "--ttl: 'soon' is not a duration of at least 1 s; use e.g. 30, 30s, 10m, 2h, 7d")
        #expect(ArgumentError.missingArgument("<workers>", purpose: "how many").description == "missing <workers>: how many")
        #expect(ArgumentScanner.duration("2h") == 7200 && ArgumentScanner.duration("1.5") == 1.5 && ArgumentScanner.duration("x") == nil)
    }
}
