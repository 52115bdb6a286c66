import DiscoRuntime

extension WaitOptions {
    /// `--wait`, `--interval`, `--timeout`, in help order.
    static let declarations: [OptionDeclaration<WaitOptions>] = [
        .flag(["--wait"], help: "Follow the cluster until it settles (progress bar on a terminal).") { $0.wait = true },
        OptionDeclaration(["--interval"], value: "<seconds>", help: "Seconds between polls (default: 1).") {
            wait, scanner, name throws(ArgumentError) in
            wait.interval = try scanner.seconds(for: name, minimum: 0.1)
        },
        OptionDeclaration(["--timeout"], value: "<duration>", help: "Give up waiting after this long (default: 1h); exit 1.") {
            wait, scanner, name throws(ArgumentError) in
            wait.timeout = try scanner.seconds(for: name, minimum: 1)
        },
    ]
}
