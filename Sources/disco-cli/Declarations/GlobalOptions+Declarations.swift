import DiscoRuntime
import Foundation

extension GlobalOptions {
    /// The options every command accepts, before or after its name.
    static let declarations: [OptionDeclaration<GlobalOptions>] = [
        OptionDeclaration(["--url"], value: "<url>", help: "Service manager URL (default: $DISCO_URL, else http://127.0.0.1:8888).") {
            options, scanner, name throws(ArgumentError) in
            let value = try scanner.value(for: name, accepting: .anyWord)
            guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw .invalidValue(option: name, value: value, accepted: "an http(s) URL, e.g. http://127.0.0.1:8888")
            }
            options.url = value
        },
        OptionDeclaration(["--token"], value: "<token>",
                          help: "Keystone token (default: $DISCO_TOKEN, $OS_TOKEN, else one is obtained from OS_* credentials or the --os-cloud cloud, or demo/demo/demo).") {
            options, scanner, name throws(ArgumentError) in
            options.token = try scanner.value(for: name, accepting: .anyWord)
        },
        OptionDeclaration(["--os-cloud"], value: "<name>",
                          help: "Sign in as this cloud of clouds.yaml and secure.yaml (default: $OS_CLOUD); OS_* variables override its settings.") {
            options, scanner, name throws(ArgumentError) in
            options.osCloud = try scanner.value(for: name, accepting: .anyWord)
        },
        .flag(["--json"], help: "Print the server's JSON objects instead of tables.") { $0.json = true },
        .flag(["--no-color"], hiddenNames: ["--no-colour"], help: "No colour (also NO_COLOR=1; colour is used only on a terminal).") {
            $0.noColor = true
        },
    ]

    /// `-h, --help`: every command's help page, the top level's too.
    static let help = OptionSyntax.help
    /// `--version`, before any command.
    static let version = OptionSyntax.version

    /// Applies the global option `name`, just read; `false` if it is not one.
    static func apply(_ name: String, to options: inout GlobalOptions, from scanner: inout ArgumentScanner) throws(ArgumentError) -> Bool {
        guard let declaration = declarations.first(where: { $0.syntax.accepts(name) }) else { return false }
        try declaration.apply(&options, &scanner, name)
        return true
    }
}
