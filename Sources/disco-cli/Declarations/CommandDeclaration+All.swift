import DiscoCore
import DiscoRuntime

extension CommandDeclaration {
    /// Every command, in the order of the top-level help.
    static let all: [CommandDeclaration] = [
        components, plan, create, list, show, watch, scale,
        clusterAction("suspend", abstract: "Suspend a cluster's servers.", overview: "Suspend a ready cluster's servers.") { .suspend($0, cluster: $1) },
        clusterAction("resume", abstract: "Resume a suspended cluster.", overview: "Resume a suspended cluster.") { .resume($0, cluster: $1) },
        check, delete, sshKey, ssh, events,
        cloudListing("images"), cloudListing("flavors"), cloudListing("networks"),
        token, completion, help,
    ]

    /// The declaration named `word` (a name or an alias).
    static func named(_ word: String) -> CommandDeclaration? { all.first { $0.isNamed(word) } }

    private static let clusterHelp = "The cluster's name, id or id prefix."

    private static func cluster<Target>(_ set: @escaping @Sendable (inout Target, String) -> Void) -> ArgumentDeclaration<Target> {
        ArgumentDeclaration("<cluster>", help: clusterHelp, completion: .clusters) { target, value throws(ArgumentError) in set(&target, value) }
    }

    /// A command's spec, named by `<name>` or `--name` (not both), and the rest of the command.
    private struct Named<Value: Sendable>: Sendable {
        var value: Value
        var positionalName: String?

        static func nameArgument(_ spec: any WritableKeyPath<Value, SpecOptions> & Sendable) -> ArgumentDeclaration<Named> {
            ArgumentDeclaration("<name>", help: "The cluster's name (letters, digits, '-'; or --name).", isRequired: false) {
                named, name throws(ArgumentError) in
                if named.value[keyPath: spec].name != nil { throw .invalid("the name is given twice ('\(name)' and --name)") }
                named.value[keyPath: spec].name = name
                named.positionalName = name
            }
        }

        /// Fails when `--name` came after `<name>`.
        func checked(_ spec: any KeyPath<Value, SpecOptions> & Sendable) throws(ArgumentError) -> Value {
            if let positionalName, value[keyPath: spec].name != positionalName {
                throw .invalid("the name is given twice ('\(positionalName)' and --name)")
            }
            return value
        }
    }

    static let components = CommandDeclaration(
        "components", abstract: "List the component catalog: versions, requirements, ports.",
        overview: "List the component catalog: versions, requirements, ports and properties.",
        usage: "disco-cli components [--offline] [--json]",
        discussion: "JSON: {\"components\": [{name, version, summary, requires, conflicts, implicit, properties, ports, ui}]}",
        initial: false,
        options: [.flag(["--offline"], help: "Use the catalog built into disco-cli instead of asking the server.") { $0 = true }],
        build: { offline in .components(offline: offline) })

    static let plan = CommandDeclaration(
        "plan", abstract: "Plan a cluster offline: components, ports, totals and the Heat template.",
        overview: "Resolve a cluster spec and print the plan (components and why, ports, resource totals) and its Heat template.",
        usage: "disco-cli plan [<name>] [<spec options>] [--format yaml|json] [--template-only | -o <file>]",
        discussion: """
            Offline plans need no server: they use a built-in inventory equal to the simulated cloud's \
            (images ubuntu-22.04, ubuntu-24.04, debian-12; flavors m1.small 1/2048/20, m1.medium 2/4096/40, \
            m1.large 4/8192/80, m1.xlarge 8/16384/160; external network public). Images and networks you name are \
            taken as given; other flavors can be defined with --flavor NAME:VCPUS:RAM_MB:DISK_GB.
            JSON: {"plan": {...}, "template": "...", "format": "yaml|json", "inventory": "built-in|server"}
            Example: disco-cli plan demo -c spark -p jupyter.password=… --template-only > stack.yaml
                     openstack stack create -t stack.yaml demo
            """,
        initial: Named(value: PlanCommand()),
        arguments: [Named<PlanCommand>.nameArgument(\PlanCommand.spec)],
        options: SpecOptions.declarations(flavorDefinitions: true).map { $0.lifted(\Named<PlanCommand>.value.spec) } + [
            OptionDeclaration(["--format"], value: "<yaml|json>", help: "Template format (default: yaml).",
                              completion: .words(["yaml", "json"])) { plan, scanner, name throws(ArgumentError) in
                let format = try scanner.value(for: name)
                guard ["yaml", "json"].contains(format) else {
                    throw .invalidValue(option: name, value: format, accepted: "a format; use yaml or json")
                }
                plan.value.format = format
            },
            .flag(["--template-only"], help: "Print only the template, e.g. for 'openstack stack create -t'.") { $0.value.templateOnly = true },
            .text(["-o", "--output"], value: "<file>", help: "Write the template to <file>; the plan goes to stdout.",
                  completion: .files) { $0.value.output = $1 },
            .text(["--public-key"], value: "<file>", help: "Your SSH public key to put in the template (else a key pair is generated).",
                  completion: .files) { $0.value.publicKeyFile = $1 },
            .text(["--key-out"], value: "<file>", help: "Where to save a generated private key (mode 0600).",
                  completion: .files) { $0.value.keyOutput = $1 },
            .flag(["--remote"], help: "Plan against the server's cloud (POST /api/v1/plan) instead of offline.") { $0.value.remote = true },
        ],
        build: { named throws(ArgumentError) in
            let plan = try named.checked(\.spec)
            if plan.spec.name == nil && plan.spec.file == nil {
                throw .invalid("a plan needs a cluster name or a spec file (-f spec.json)")
            }
            if plan.remote && (plan.publicKeyFile != nil || plan.keyOutput != nil || !plan.spec.flavorDefinitions.isEmpty) {
                throw .invalid("--public-key, --key-out and flavor definitions are for offline plans, not --remote")
            }
            return .plan(plan)
        })

    static let create = CommandDeclaration(
        "create", abstract: "Create a cluster from flags or a spec file (guided in the shell).",
        overview: "Create a cluster. It is created in the background; --wait follows it until it is ready or failed.",
        usage: "disco-cli create [<name>] [<spec options>] [--wait]",
        discussion: """
            In the interactive shell, 'create' without arguments asks for everything, offering the cloud's images, \
            flavors and networks and the catalog's components.
            JSON: the cluster object (after --wait: its final state).
            Example: disco-cli create demo -c spark,jupyter -p jupyter.password=s3cret-pw -w 2 --wait
            """,
        initial: Named(value: CreateCommand()),
        arguments: [Named<CreateCommand>.nameArgument(\CreateCommand.spec)],
        options: SpecOptions.declarations(flavorDefinitions: false).map { $0.lifted(\Named<CreateCommand>.value.spec) }
            + WaitOptions.declarations.map { $0.lifted(\Named<CreateCommand>.value.wait) },
        build: { named throws(ArgumentError) in .create(try named.checked(\.spec)) })

    static let list = CommandDeclaration(
        "list", aliases: ["ls"], abstract: "List the project's clusters.", overview: "List the project's clusters.",
        usage: "disco-cli list [--json]",
        discussion: """
            HEALTH is a ready cluster's last health check: green, yellow (degraded but usable) or red; '-' \
            before the first check and in other states ('disco-cli show' says why).
            JSON: {"clusters": [<cluster>…]}
            """,
        initial: false,
        options: [.flag(["--names"], help: "Only the names of the clusters not deleted, one per line (for shell completion).",
                        isHidden: true) { $0 = true }],
        build: { $0 ? .clusterNames : .list })

    static let show = CommandDeclaration(
        "show", aliases: ["get"], abstract: "Show a cluster.",
        overview: "Show a cluster: state, health, nodes, components, addresses and web UIs.",
        usage: "disco-cli show <cluster> [--json]", discussion: "JSON: the cluster object.",
        initial: "", arguments: [cluster { $0 = $1 }], build: { .show(cluster: $0) })

    /// A cluster, how to follow it, and `delete`'s confirmation.
    private struct ClusterAction: Sendable {
        var wait = WaitOptions()
        var cluster = ""
        var yes = false
    }

    static let watch = CommandDeclaration(
        "watch", abstract: "Follow a cluster live until it is ready, suspended, failed or deleted.",
        overview: "Follow a cluster live until it is ready, suspended, failed or deleted.",
        usage: "disco-cli watch <cluster> [--health] [--interval <seconds>] [--timeout <duration>]",
        discussion: """
            Health changes (green, yellow, red and why) are shown as they happen. Exit status 1 if the cluster \
            ends failed. JSON: the cluster object in its final state.
            """,
        initial: ClusterAction(wait: WaitOptions(wait: true)),
        arguments: [cluster { $0.cluster = $1 }],
        options: [.flag(["--health"], help: "Keep following a ready cluster and print each change of its health, until --timeout or Ctrl-C.") {
            $0.wait.health = true
        }] + WaitOptions.declarations.dropFirst().map { $0.lifted(\ClusterAction.wait) },
        build: { .watch($0.wait, cluster: $0.cluster) })

    private static func clusterAction(_ name: String, abstract: String, overview: String,
                                      make: @escaping @Sendable (WaitOptions, String) -> Command) -> CommandDeclaration {
        CommandDeclaration(
            name, abstract: abstract, overview: overview, usage: "disco-cli \(name) <cluster> [--wait]",
            discussion: "JSON: the cluster object.",
            initial: ClusterAction(), arguments: [cluster { $0.cluster = $1 }],
            options: WaitOptions.declarations.map { $0.lifted(\ClusterAction.wait) },
            build: { make($0.wait, $0.cluster) })
    }

    static let check = CommandDeclaration(
        "check", abstract: "Check a ready cluster's health now: every node's daemons, disk and memory.",
        overview: "Check a ready cluster's health now: DISCO reads the health document its master publishes.",
        usage: "disco-cli check <cluster> [--json]",
        discussion: """
            Prints green (all well), yellow (degraded but usable, e.g. a worker's daemon down) or red (a master \
            daemon down or the cluster unreadable), every reason, and a table of the nodes: the daemons not \
            running, free disk and available memory. DISCO also checks every ready cluster by itself (see \
            'disco-cli show'). Exit status 0 whatever the health; 1 if the check could not run (e.g. the \
            cluster is not ready). JSON: the cluster object with its new "health".
            """,
        initial: "", arguments: [cluster { $0 = $1 }], build: { .check(cluster: $0) })

    static let delete = CommandDeclaration(
        "delete", aliases: ["rm"], abstract: "Delete a cluster.", overview: "Delete a cluster and everything created for it.",
        usage: "disco-cli delete <cluster> [--wait] [--yes]",
        discussion: "JSON: the cluster object (state deleting, or deleted after --wait).",
        initial: ClusterAction(), arguments: [cluster { $0.cluster = $1 }],
        options: [.flag(["-y", "--yes"], help: "Do not ask for confirmation (asked only on a terminal).") { $0.yes = true }]
            + WaitOptions.declarations.map { $0.lifted(\ClusterAction.wait) },
        build: { .delete($0.wait, cluster: $0.cluster, yes: $0.yes) })

    /// `scale`'s values: the number of workers comes as `<workers>` or `--workers`.
    private struct Scale: Sendable {
        var wait = WaitOptions()
        var cluster = ""
        var workersArgument: String?
        var workersOption: Int?
    }

    static let scale = CommandDeclaration(
        "scale", abstract: "Change the number of workers.", overview: "Change the number of workers.",
        usage: "disco-cli scale <cluster> <workers> [--wait]", discussion: "JSON: the cluster object.",
        initial: Scale(),
        arguments: [
            cluster { $0.cluster = $1 },
            ArgumentDeclaration("<workers>", help: "The new number of workers (0…\(SpecLimits.standard.maxWorkers)).", isRequired: false) {
                scale, value throws(ArgumentError) in scale.workersArgument = value
            },
        ],
        options: WaitOptions.declarations.map { $0.lifted(\Scale.wait) } + [
            OptionDeclaration(["-w", "--workers"], value: "<n>", help: "The new number of workers.", isHidden: true) {
                scale, scanner, name throws(ArgumentError) in
                scale.workersOption = try scanner.integer(for: name, in: 0...SpecLimits.standard.maxWorkers)
            },
        ],
        build: { scale throws(ArgumentError) in
            var workers = scale.workersOption
            if let text = scale.workersArgument {
                guard workers == nil else { throw .invalid("the number of workers is given twice") }
                guard let count = Int(text), (0...SpecLimits.standard.maxWorkers).contains(count) else {
                    throw .invalidValue(option: "<workers>", value: text,
                                        accepted: "a number of workers; use 0…\(SpecLimits.standard.maxWorkers)")
                }
                workers = count
            }
            guard let workers else { throw .missingArgument("<workers>", purpose: "how many workers the cluster should have") }
            return .scale(scale.wait, cluster: scale.cluster, workers: workers)
        })

    /// `ssh-key`'s values.
    private struct SSHKey: Sendable {
        var cluster = ""
        var output: String?
        var force = false
    }

    static let sshKey = CommandDeclaration(
        "ssh-key", abstract: "Save a cluster's SSH private key (mode 0600).",
        overview: "Save a cluster's SSH private key, readable only by you (mode 0600).",
        usage: "disco-cli ssh-key <cluster> [-o <file> | -o -] [--force]",
        discussion: "JSON: {\"cluster\", \"name\", \"path\"} (never the key).",
        initial: SSHKey(), arguments: [cluster { $0.cluster = $1 }],
        options: [
            OptionDeclaration(["-o", "--output"], value: "<file>",
                              help: "Where to write the key (default: ./<name>.id_ed25519); '-' prints it.",
                              completion: .files) { key, scanner, name throws(ArgumentError) in
                key.output = try scanner.value(for: name, accepting: .notAnOptionOrDash)
            },
            .flag(["--force"], help: "Replace an existing file.") { $0.force = true },
        ],
        build: { .sshKey(cluster: $0.cluster, output: $0.output, force: $0.force) })

    static let ssh = CommandDeclaration(
        "ssh", abstract: "Log in to a cluster's master with ssh.",
        overview: "Log in to a cluster's master: runs ssh -i <key> <user>@<external ip> [<ssh args>…].",
        usage: "disco-cli ssh [-i <key>] [-l <user>] [--dry-run] <cluster> [<ssh argument>…]",
        discussion: """
            After <cluster>, arguments go to ssh unchanged; disco-cli's own long options (--dry-run, --identity, \
            --user, --json…) are still recognised there, until '--'.
            Example: disco-cli ssh demo -N -L 8088:localhost:8088
            JSON (with --dry-run): {"argv": [...]}
            """,
        initial: SSHCommand(cluster: ""), arguments: [cluster { $0.cluster = $1 }],
        options: [
            .text(["-i", "--identity"], value: "<key>", help: "The private key (default: ./<name>.id_ed25519, fetched if missing).",
                  completion: .files) { $0.identity = $1 },
            .text(["-l", "--user"], value: "<user>", help: "The login (default: the master image's, e.g. ubuntu).") { $0.user = $1 },
            .flag(["--dry-run"], help: "Print the ssh command instead of running it.") { $0.dryRun = true },
        ],
        passthrough: (ArgumentSyntax(label: "<ssh argument>", help: "Passed to ssh as is, e.g. -L 8088:localhost:8088 or a command."),
                      { ssh, extra in ssh.extra = extra }),
        build: { .ssh($0) })

    static let events = CommandDeclaration(
        "events", abstract: "Show what happened to a cluster.", overview: "Show what happened to a cluster, oldest first.",
        usage: "disco-cli events <cluster> [--json]", discussion: "JSON: {\"events\": [{time, state, message}]}",
        initial: "", arguments: [cluster { $0 = $1 }], build: { .events(cluster: $0) })

    private static func cloudListing(_ name: String) -> CommandDeclaration {
        let command: Command = switch name {
        case "images": .images
        case "flavors": .flavors
        default: .networks
        }
        return CommandDeclaration(
            name, abstract: "List the cloud's \(name).", overview: "List the cloud's \(name).", usage: "disco-cli \(name) [--json]",
            discussion: "JSON: {\"\(name)\": [...]} as the server gives it.",
            initial: (), build: { _ in command })
    }

    static let token = CommandDeclaration(
        "token", abstract: "Print a Keystone token for the other commands (TOKEN=$(disco-cli token)).",
        overview: "Print a Keystone token for the other commands.", usage: "disco-cli token",
        discussion: """
            Prints $OS_TOKEN (or --token/$DISCO_TOKEN) as is when set; otherwise signs in through the server \
            (POST /api/v1/tokens) with OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME and OS_USER_DOMAIN_NAME, or \
            with the simulated cloud's demo/demo/demo when none are set. Use: export DISCO_TOKEN=$(disco-cli token)
            With --os-cloud NAME or OS_CLOUD=NAME, the cloud NAME of clouds.yaml (secure.yaml merged in) gives \
            auth.username, auth.password, auth.project_name and auth.user_domain_name (else project_domain_name); \
            an OS_* variable that is set wins over the file. Files are looked for as the openstack CLI does: \
            $OS_CLIENT_CONFIG_FILE ($OS_CLIENT_SECURE_FILE), then ./, ~/.config/openstack/, /etc/openstack/; the \
            first found is used. auth_type must be password or v3password.
            JSON: {"token", "expiresAt", "project", "projectID", "user"} (just {"token"} for a given token).
            """,
        initial: (), build: { _ in .token })

    static let completion = CommandDeclaration(
        "completion", abstract: "Print a shell completion script for bash or zsh.",
        overview: "Print a completion script for bash or zsh: commands, aliases, options and their known values.",
        usage: "disco-cli completion <shell>",
        discussion: """
            bash: add 'source <(disco-cli completion bash)' to ~/.bashrc.
            zsh: disco-cli completion zsh > ~/.zfunc/_disco-cli, with ~/.zfunc on $fpath before compinit.
            """,
        initial: CompletionScript.Shell.bash,
        arguments: [ArgumentDeclaration("<shell>", help: "bash or zsh.", completion: .words(CompletionScript.Shell.allCases.map(\.rawValue))) {
            shell, value throws(ArgumentError) in
            guard let chosen = CompletionScript.Shell(rawValue: value) else {
                throw .invalidValue(option: "<shell>", value: value, accepted: "a shell; use bash or zsh")
            }
            shell = chosen
        }],
        build: { .completion($0) })

    static let help = CommandDeclaration(
        "help", abstract: "Show help for a command.", overview: "Show help for a command.", usage: "disco-cli help [<subcommand>]",
        initial: String?.none,
        arguments: [ArgumentDeclaration("<subcommand>", help: "The command to explain.", isRequired: false, completion: .commands) {
            topic, word throws(ArgumentError) in
            guard let command = CommandDeclaration.named(word) else { throw .invalid("no help for '\(word)': it is not a command") }
            topic = command.name
        }],
        build: { .help($0) })
}
