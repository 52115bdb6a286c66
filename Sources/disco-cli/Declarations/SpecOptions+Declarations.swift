import DiscoCore
import DiscoRuntime
import Foundation

extension SpecOptions {
    /// The options that make a cluster spec (`create` and `plan`), in help order.
    ///
    /// - Parameter flavorDefinitions: whether `--flavor NAME:VCPUS:RAM_MB:DISK_GB` may define a flavor (offline plans).
    static func declarations(flavorDefinitions: Bool) -> [OptionDeclaration<SpecOptions>] {
        typealias Option = OptionDeclaration<SpecOptions>
        func text(_ names: [String], _ value: String, _ help: String, isHidden: Bool = false,
                  _ set: @escaping @Sendable (inout SpecOptions, String) -> Void) -> Option {
            .text(names, value: value, help: help, isHidden: isHidden, set: set)
        }
        func flavor(_ names: [String], _ help: String, _ set: @escaping @Sendable (inout SpecOptions, String) -> Void) -> Option {
            Option(names, value: "<flavor>", help: help) { spec, scanner, name throws(ArgumentError) in
                set(&spec, try spec.readFlavor(name, from: &scanner, definitionsAllowed: flavorDefinitions))
            }
        }
        let everyNodeFlavor = flavorDefinitions
            ? "Flavor of every node (default: the server's default_flavor; m1.medium offline and on the simulated cloud); NAME:VCPUS:RAM_MB:DISK_GB defines one offline."
            : "Flavor of every node (default: the server's default_flavor; m1.medium on the simulated cloud)."
        return [
            Option(["-f", "--file"], value: "<spec.json>",
                   help: "A JSON cluster spec (as POST /api/v1/clusters takes); flags override its fields. '-' reads stdin.",
                   completion: .files) { spec, scanner, name throws(ArgumentError) in
                spec.file = try scanner.value(for: name, accepting: .notAnOptionOrDash)
            },
            text(["-n", "--name"], "<name>", "The cluster's name.", isHidden: true) { $0.name = $1 },
            Option(["-c", "--component"], hiddenNames: ["--components"], value: "<names>",
                   help: "Components to install, comma-separated or repeated; dependencies are added (e.g. spark adds hadoop).") {
                spec, scanner, name throws(ArgumentError) in
                let names = try scanner.value(for: name).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                guard !names.isEmpty else { throw .invalid("\(name) needs component names, e.g. spark,jupyter") }
                spec.components += names.filter { !spec.components.contains($0) }
            },
            Option(["-p", "--property"], hiddenNames: ["--set"], value: "<c.key=value>",
                   help: "A component property, e.g. jupyter.password=… (secrets missing on a terminal are asked for).") {
                spec, scanner, name throws(ArgumentError) in
                let text = try scanner.value(for: name)
                guard let equals = text.firstIndex(of: "="), let dot = text[..<equals].firstIndex(of: "."),
                      dot != text.startIndex, text.index(after: dot) != equals else {
                    throw .invalidValue(option: name, value: text, accepted: "COMPONENT.KEY=VALUE (e.g. jupyter.tls=false)")
                }
                spec.properties.append(.init(component: String(text[..<dot]), key: String(text[text.index(after: dot)..<equals]),
                                             value: String(text[text.index(after: equals)...])))
            },
            Option(["-w", "--workers"], value: "<n>", help: "Number of workers (default: 2).") { spec, scanner, name throws(ArgumentError) in
                spec.workers = try scanner.integer(for: name, in: 0...SpecLimits.standard.maxWorkers)
            },
            text(["--image"], "<image>", "Image of every node (default: the server's default_image; ubuntu-22.04 offline and on the simulated cloud).") { $0.image = $1 },
            flavor(["--flavor"], everyNodeFlavor) { $0.flavor = $1 },
            text(["--master-image"], "<image>", "Image of the master (the workers' too, unless --worker-image).") { $0.masterImage = $1 },
            text(["--worker-image"], "<image>", "Image of the workers (default: the master's).") { $0.workerImage = $1 },
            flavor(["--master-flavor"], "Flavor of the master (the workers' too, unless --worker-flavor).") { $0.masterFlavor = $1 },
            flavor(["--worker-flavor"], "Flavor of the workers (default: the master's).") { $0.workerFlavor = $1 },
            text(["--external-network"], "<net>", "Floating IP pool (default: the server's default_external_network; public offline and on the simulated cloud).") { $0.externalNetwork = $1 },
            text(["--network"], "<name>", "Name of the cluster network (default: <name>-net).") { $0.network = $1 },
            Option(["--ttl"], value: "<duration>", help: "Delete the cluster automatically after this long (e.g. 8h, 2d).") {
                spec, scanner, name throws(ArgumentError) in
                spec.ttlSeconds = Int(try scanner.seconds(for: name, minimum: 1))
            },
            text(["--tag"], "<tag>", "A label (repeatable).") { $0.tags.append($1) },
            text(["--allow-from"], "<cidr>",
                 "A network allowed to reach the public ports, e.g. 203.0.113.0/24 (repeatable; default: the server's allowed_sources).") {
                $0.allowedSources.append($1)
            },
        ]
    }

    /// A flavor name, or (when allowed) a definition `NAME:VCPUS:RAM_MB:DISK_GB`, which is kept and its name returned.
    private mutating func readFlavor(_ option: String, from scanner: inout ArgumentScanner,
                                     definitionsAllowed: Bool) throws(ArgumentError) -> String {
        let text = try scanner.value(for: option)
        guard text.contains(":") else { return text }
        guard definitionsAllowed else {
            throw .invalid("\(option): '\(text)' looks like a flavor definition; those are only for offline plans, give a flavor name")
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, !parts[0].isEmpty, let vcpus = Int(parts[1]), let ram = Int(parts[2]), let disk = Int(parts[3]),
              vcpus > 0, ram > 0, disk > 0 else {
            throw .invalidValue(option: option, value: text, accepted: "NAME or NAME:VCPUS:RAM_MB:DISK_GB (e.g. m2.big:16:65536:200)")
        }
        flavorDefinitions.removeAll { $0.name == parts[0] }
        flavorDefinitions.append(Flavor(id: parts[0], name: parts[0], vcpus: vcpus, ramMB: ram, diskGB: disk))
        return parts[0]
    }
}
