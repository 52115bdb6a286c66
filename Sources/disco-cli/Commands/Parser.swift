import DiscoCore
import Foundation

/// Turns arguments into an ``Invocation``. Pure: no environment, no I/O.
enum CommandParser {
    static let commandNames = ["components", "plan", "create", "list", "show", "watch", "scale", "suspend", "resume",
                               "check", "delete", "ssh-key", "ssh", "events", "token", "images", "flavors", "networks", "help"]
    static let aliases = ["ls": "list", "rm": "delete", "get": "show"]

    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var scanner = ArgumentScanner(arguments, command: nil)
        var global = GlobalOptions()
        // Global options before the command.
        while let argument = scanner.peek(), argument.hasPrefix("-") {
            if argument == "-h" || argument == "--help" { return Invocation(global: global, command: .help(nil)) }
            if argument == "--version" { return Invocation(global: global, command: .version) }
            guard try scanner.consumeGlobal(&global) else {
                throw UsageError("unknown option '\(scanner.flagName(argument))'")
            }
        }
        guard let word = scanner.next() else { return Invocation(global: global, command: .shell) }
        let name = aliases[word] ?? word
        guard commandNames.contains(name) else {
            let hint = closestMatch(to: word, in: commandNames).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError("'\(word)' is not a disco-cli command\(hint)")
        }
        scanner.command = name
        if scanner.remaining.contains(where: { $0 == "-h" || $0 == "--help" }), name != "ssh" {
            return Invocation(global: global, command: .help(name))
        }
        let command = try parseCommand(name, &scanner, &global)
        return Invocation(global: global, command: command)
    }

    private static func parseCommand(_ name: String, _ s: inout ArgumentScanner, _ g: inout GlobalOptions) throws(UsageError) -> Command {
        switch name {
        case "help":
            let topic = try s.optionalPositional(g: &g)
            if let topic, !commandNames.contains(aliases[topic] ?? topic) {
                throw UsageError("no help for '\(topic)': it is not a command", command: "help")
            }
            try s.finish(g: &g)
            return .help(topic.map { aliases[$0] ?? $0 })
        case "components":
            var offline = false
            while let arg = try s.nextOption(g: &g) {
                switch arg {
                case "--offline": offline = true
                default: throw s.unknown(arg)
                }
            }
            try s.finish(g: &g)
            return .components(offline: offline)
        case "list", "token", "images", "flavors", "networks":
            try s.finish(g: &g)
            return ["list": .list, "token": .token, "images": .images, "flavors": .flavors, "networks": .networks][name]!
        case "show", "events", "check":
            let cluster = try s.requiredPositional("<cluster>", g: &g)
            try s.finish(g: &g)
            return ["show": .show(cluster: cluster), "events": .events(cluster: cluster), "check": .check(cluster: cluster)][name]!
        case "create":
            var create = CreateCommand()
            while let arg = try s.nextOption(g: &g) {
                if try s.specOption(arg, &create.spec, allowFlavorDefinitions: false) { continue }
                if try s.waitOption(arg, &create.wait) { continue }
                throw s.unknown(arg)
            }
            if let name = try s.optionalPositional(g: &g) {
                if create.spec.name != nil { throw UsageError("the name is given twice ('\(name)' and --name)", command: "create") }
                create.spec.name = name
                while let arg = try s.nextOption(g: &g) {
                    if try s.specOption(arg, &create.spec, allowFlavorDefinitions: false) { continue }
                    if try s.waitOption(arg, &create.wait) { continue }
                    throw s.unknown(arg)
                }
                if create.spec.name != name { throw UsageError("the name is given twice ('\(name)' and --name)", command: "create") }
            }
            try s.finish(g: &g)
            return .create(create)
        case "plan":
            var plan = PlanCommand()
            func option(_ arg: String, _ s: inout ArgumentScanner) throws(UsageError) {
                if try s.specOption(arg, &plan.spec, allowFlavorDefinitions: true) { return }
                switch arg {
                case "--format":
                    let format = try s.value(for: arg)
                    guard ["yaml", "json"].contains(format) else {
                        throw UsageError("--format: '\(format)' is not a format; use yaml or json", command: "plan")
                    }
                    plan.format = format
                case "--template-only": plan.templateOnly = true
                case "-o", "--output": plan.output = try s.value(for: arg)
                case "--remote": plan.remote = true
                case "--public-key": plan.publicKeyFile = try s.value(for: arg)
                case "--key-out": plan.keyOutput = try s.value(for: arg)
                default: throw s.unknown(arg)
                }
            }
            while let arg = try s.nextOption(g: &g) { try option(arg, &s) }
            if let name = try s.optionalPositional(g: &g) {
                if plan.spec.name != nil { throw UsageError("the name is given twice ('\(name)' and --name)", command: "plan") }
                plan.spec.name = name
                while let arg = try s.nextOption(g: &g) { try option(arg, &s) }
                if plan.spec.name != name { throw UsageError("the name is given twice ('\(name)' and --name)", command: "plan") }
            }
            try s.finish(g: &g)
            if plan.spec.name == nil && plan.spec.file == nil {
                throw UsageError("a plan needs a cluster name or a spec file (-f spec.json)", command: "plan")
            }
            if plan.remote && (plan.publicKeyFile != nil || plan.keyOutput != nil || !plan.spec.flavorDefinitions.isEmpty) {
                throw UsageError("--public-key, --key-out and flavor definitions are for offline plans, not --remote", command: "plan")
            }
            return .plan(plan)
        case "watch", "suspend", "resume", "delete":
            var wait = WaitOptions(wait: name == "watch")
            var yes = false
            var cluster: String?
            while true {
                if let arg = try s.nextOption(g: &g) {
                    if name != "watch", try s.waitOption(arg, &wait) { continue }
                    if name == "watch", try s.waitOption(arg, &wait, allowWaitFlag: false) { continue }
                    if name == "watch", arg == "--health" { wait.health = true; continue }
                    if name == "delete", arg == "-y" || arg == "--yes" { yes = true; continue }
                    throw s.unknown(arg)
                }
                guard cluster == nil, let positional = try s.optionalPositional(g: &g) else { break }
                cluster = positional
            }
            try s.finish(g: &g)
            guard let cluster else { throw UsageError("missing <cluster>", command: name) }
            switch name {
            case "watch": return .watch(wait, cluster: cluster)
            case "suspend": return .suspend(wait, cluster: cluster)
            case "resume": return .resume(wait, cluster: cluster)
            default: return .delete(wait, cluster: cluster, yes: yes)
            }
        case "scale":
            var wait = WaitOptions()
            var positionals: [String] = []
            var workers: Int?
            while true {
                if let arg = try s.nextOption(g: &g) {
                    if try s.waitOption(arg, &wait) { continue }
                    if arg == "-w" || arg == "--workers" { workers = try s.integer(for: arg, in: 0...SpecLimits.standard.maxWorkers); continue }
                    throw s.unknown(arg)
                }
                guard let positional = try s.optionalPositional(g: &g) else { break }
                positionals.append(positional)
            }
            try s.finish(g: &g)
            guard let cluster = positionals.first else { throw UsageError("missing <cluster>", command: "scale") }
            if positionals.count > 2 { throw UsageError("unexpected argument '\(positionals[2])'", command: "scale") }
            if positionals.count == 2 {
                guard workers == nil else { throw UsageError("the number of workers is given twice", command: "scale") }
                guard let count = Int(positionals[1]), (0...SpecLimits.standard.maxWorkers).contains(count) else {
                    throw UsageError("<workers>: '\(positionals[1])' is not a number of workers; use 0…\(SpecLimits.standard.maxWorkers)",
                                     command: "scale")
                }
                workers = count
            }
            guard let workers else { throw UsageError("missing <workers>: how many workers the cluster should have", command: "scale") }
            return .scale(wait, cluster: cluster, workers: workers)
        case "ssh-key":
            var output: String?
            var force = false
            var cluster: String?
            while true {
                if let arg = try s.nextOption(g: &g) {
                    switch arg {
                    case "-o", "--output": output = try s.value(for: arg, allowDash: true)
                    case "--force": force = true
                    default: throw s.unknown(arg)
                    }
                    continue
                }
                guard cluster == nil, let positional = try s.optionalPositional(g: &g) else { break }
                cluster = positional
            }
            try s.finish(g: &g)
            guard let cluster else { throw UsageError("missing <cluster>", command: "ssh-key") }
            return .sshKey(cluster: cluster, output: output, force: force)
        case "ssh":
            // Options before the cluster. After it, arguments go to ssh unchanged, except disco-cli's own long options
            // (ssh has none), until a `--`.
            var ssh = SSHCommand(cluster: "")
            func own(_ arg: String, _ s: inout ArgumentScanner) throws(UsageError) -> Bool {
                switch arg {
                case "-i", "--identity": ssh.identity = try s.value(for: arg)
                case "-l", "--user": ssh.user = try s.value(for: arg)
                case "--dry-run": ssh.dryRun = true
                default: return false
                }
                return true
            }
            while let arg = try s.nextOption(g: &g) {
                if arg == "-h" || arg == "--help" { return .help("ssh") }
                guard try own(arg, &s) else { throw s.unknown(arg) }
            }
            ssh.cluster = try s.requiredPositional("<cluster>", g: &g)
            while let arg = s.peek() {
                if arg == "--" {
                    _ = s.next()
                    ssh.extra += s.remaining
                    break
                }
                if arg.hasPrefix("--") {
                    if try s.consumeGlobal(&g) { continue }
                    _ = s.next()
                    if try own(arg, &s) { continue }
                    throw s.unknown(arg)
                }
                ssh.extra.append(s.next()!)
            }
            return .ssh(ssh)
        default:
            throw UsageError("'\(name)' is not a disco-cli command")
        }
    }

    /// Splits a shell line into words: whitespace separates, single and double quotes group, backslash escapes.
    static func split(_ line: String) throws(UsageError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = character; inWord = true
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(character); inWord = true
            }
        }
        if quote != nil { throw UsageError("unterminated quote") }
        if inWord { words.append(current) }
        return words
    }
}

/// Walks arguments: options (`--flag value`, `--flag=value`), positionals and `--`.
struct ArgumentScanner {
    private(set) var arguments: [String]
    private(set) var index = 0
    var command: String?
    /// A value split off `--flag=value`, returned by the next ``value(for:allowDash:)``.
    private var pendingValue: String?
    private var afterDoubleDash = false

    init(_ arguments: [String], command: String?) {
        self.arguments = arguments
        self.command = command
    }

    var remaining: [String] { Array(arguments[index...]) }

    func peek() -> String? { index < arguments.count ? arguments[index] : nil }

    mutating func next() -> String? {
        guard index < arguments.count else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    func flagName(_ argument: String) -> String {
        argument.hasPrefix("--") ? String(argument.split(separator: "=", maxSplits: 1)[0]) : argument
    }

    /// The next option (global ones are applied on the way), or `nil` when a positional or the end comes.
    mutating func nextOption(g: inout GlobalOptions) throws(UsageError) -> String? {
        while let argument = peek(), !afterDoubleDash {
            if argument == "--" {
                afterDoubleDash = true
                index += 1
                return nil
            }
            guard argument.hasPrefix("-"), argument != "-", Double(argument) == nil else { return nil }
            if try consumeGlobal(&g) { continue }
            index += 1
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                pendingValue = String(argument[argument.index(after: equals)...])
                return String(argument[..<equals])
            }
            return argument
        }
        return nil
    }

    /// Applies a global option at the current position; `false` if it is not one.
    mutating func consumeGlobal(_ g: inout GlobalOptions) throws(UsageError) -> Bool {
        guard let argument = peek() else { return false }
        let flag = flagName(argument)
        switch flag {
        case "--json": g.json = true
        case "--no-color", "--no-colour": g.noColor = true
        case "--url", "--token":
            index += 1
            let value: String
            if argument.contains("=") {
                value = String(argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[1])
            } else {
                guard let next = peek() else { throw UsageError("\(flag) needs a value", command: command) }
                value = next
                index += 1
            }
            guard !value.isEmpty else { throw UsageError("\(flag) needs a value", command: command) }
            if flag == "--url" {
                guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                    throw UsageError("--url: '\(value)' is not an http(s) URL, e.g. http://127.0.0.1:8888", command: command)
                }
                g.url = value
            } else {
                g.token = value
            }
            return true
        default:
            return false
        }
        if argument.contains("=") { throw UsageError("\(flag) takes no value", command: command) }
        index += 1
        return true
    }

    /// The value of `flag`: from `--flag=value` or the next argument.
    mutating func value(for flag: String, allowDash: Bool = false) throws(UsageError) -> String {
        if let pending = pendingValue {
            pendingValue = nil
            guard !pending.isEmpty else { throw UsageError("\(flag) needs a value", command: command) }
            return pending
        }
        guard let next = peek(), !next.hasPrefix("-") || (allowDash && next == "-") || Double(next) != nil else {
            throw UsageError("\(flag) needs a value", command: command)
        }
        index += 1
        return next
    }

    mutating func integer(for flag: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        let text = try value(for: flag)
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("\(flag): '\(text)' is not a whole number in \(range.lowerBound)…\(range.upperBound)", command: command)
        }
        return number
    }

    /// Seconds, as `90`, `1.5`, `30s`, `10m`, `2h` or `7d`.
    mutating func seconds(for flag: String, minimum: Double) throws(UsageError) -> Double {
        let text = try value(for: flag)
        guard let seconds = Self.parseDuration(text), seconds >= minimum else {
            throw UsageError("\(flag): '\(text)' is not a duration of at least \(minimum.formatted()) s; use e.g. 30, 30s, 10m, 2h, 7d",
                             command: command)
        }
        return seconds
    }

    static func parseDuration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let last = text.last, let unit = units[last] {
            return Double(text.dropLast()).map { $0 * unit }
        }
        return Double(text)
    }

    mutating func optionalPositional(g: inout GlobalOptions) throws(UsageError) -> String? {
        if try nextOption(g: &g) != nil {
            index -= 1
            throw unknown(arguments[index])
        }
        return next()
    }

    mutating func requiredPositional(_ label: String, g: inout GlobalOptions) throws(UsageError) -> String {
        guard let value = try optionalPositional(g: &g) else { throw UsageError("missing \(label)", command: command) }
        return value
    }

    /// Fails on anything left over.
    mutating func finish(g: inout GlobalOptions) throws(UsageError) {
        if let option = try nextOption(g: &g) { throw unknown(option) }
        if let extra = next() { throw UsageError("unexpected argument '\(extra)'", command: command) }
    }

    func unknown(_ option: String) -> UsageError {
        UsageError("unknown option '\(option)'", command: command)
    }

    /// Applies a `--wait`/`--interval`/`--timeout` option; `false` if `flag` is not one.
    mutating func waitOption(_ flag: String, _ wait: inout WaitOptions, allowWaitFlag: Bool = true) throws(UsageError) -> Bool {
        switch flag {
        case "--wait" where allowWaitFlag: wait.wait = true
        case "--interval": wait.interval = try seconds(for: flag, minimum: 0.1)
        case "--timeout": wait.timeout = try seconds(for: flag, minimum: 1)
        default: return false
        }
        return true
    }

    /// Applies a cluster spec option; `false` if `flag` is not one.
    mutating func specOption(_ flag: String, _ spec: inout SpecOptions, allowFlavorDefinitions: Bool) throws(UsageError) -> Bool {
        func flavor(_ flag: String) throws(UsageError) -> String {
            let text = try value(for: flag)
            guard text.contains(":") else { return text }
            guard allowFlavorDefinitions else {
                throw UsageError("\(flag): '\(text)' looks like a flavor definition; those are only for offline plans, give a flavor name",
                                 command: command)
            }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, !parts[0].isEmpty, let vcpus = Int(parts[1]), let ram = Int(parts[2]), let disk = Int(parts[3]),
                  vcpus > 0, ram > 0, disk > 0 else {
                throw UsageError("\(flag): '\(text)' is not NAME or NAME:VCPUS:RAM_MB:DISK_GB (e.g. m2.big:16:65536:200)", command: command)
            }
            spec.flavorDefinitions.removeAll { $0.name == parts[0] }
            spec.flavorDefinitions.append(Flavor(id: parts[0], name: parts[0], vcpus: vcpus, ramMB: ram, diskGB: disk))
            return parts[0]
        }
        switch flag {
        case "-f", "--file": spec.file = try value(for: flag, allowDash: true)
        case "-n", "--name": spec.name = try value(for: flag)
        case "--image": spec.image = try value(for: flag)
        case "--master-image": spec.masterImage = try value(for: flag)
        case "--worker-image": spec.workerImage = try value(for: flag)
        case "--flavor": spec.flavor = try flavor(flag)
        case "--master-flavor": spec.masterFlavor = try flavor(flag)
        case "--worker-flavor": spec.workerFlavor = try flavor(flag)
        case "-w", "--workers": spec.workers = try integer(for: flag, in: 0...SpecLimits.standard.maxWorkers)
        case "--network": spec.network = try value(for: flag)
        case "--external-network": spec.externalNetwork = try value(for: flag)
        case "-c", "--component", "--components":
            let names = try value(for: flag).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw UsageError("\(flag) needs component names, e.g. spark,jupyter", command: command) }
            spec.components += names.filter { !spec.components.contains($0) }
        case "-p", "--property", "--set":
            let text = try value(for: flag)
            guard let equals = text.firstIndex(of: "="), let dot = text[..<equals].firstIndex(of: "."),
                  dot != text.startIndex, text.index(after: dot) != equals else {
                throw UsageError("\(flag): '\(text)' is not COMPONENT.KEY=VALUE (e.g. jupyter.tls=false)", command: command)
            }
            spec.properties.append(.init(component: String(text[..<dot]), key: String(text[text.index(after: dot)..<equals]),
                                         value: String(text[text.index(after: equals)...])))
        case "--ttl":
            let ttl = try seconds(for: flag, minimum: 1)
            spec.ttlSeconds = Int(ttl)
        case "--tag": spec.tags.append(try value(for: flag))
        default: return false
        }
        return true
    }
}
