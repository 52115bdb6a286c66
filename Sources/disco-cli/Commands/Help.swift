import DiscoCore
import Foundation

/// Help texts in swift-argument-parser's layout: OVERVIEW, USAGE, ARGUMENTS, OPTIONS, labels padded to column 26.
enum Help {
    struct Page {
        var overview: String
        var usage: String
        var arguments: [(String, String)] = []
        var options: [(String, String)] = []
        var discussion: String? = nil
    }

    static let globalOptions: [(String, String)] = [
        ("--url <url>", "Service manager URL (default: $DISCO_URL, else http://127.0.0.1:8888)."),
        ("--token <token>", "Keystone token (default: $DISCO_TOKEN, $OS_TOKEN, else one is obtained from OS_* credentials, or demo/demo/demo)."),
        ("--json", "Print the server's JSON objects instead of tables."),
        ("--no-color", "No colour (also NO_COLOR=1; colour is used only on a terminal)."),
        ("-h, --help", "Show help information."),
    ]

    static let commands: [(String, String)] = [
        ("components", "List the component catalog: versions, requirements, ports."),
        ("plan", "Plan a cluster offline: components, ports, totals and the Heat template."),
        ("create", "Create a cluster from flags or a spec file (guided in the shell)."),
        ("list", "List the project's clusters."),
        ("show", "Show a cluster."),
        ("watch", "Follow a cluster live until it is ready, suspended, failed or deleted."),
        ("scale", "Change the number of workers."),
        ("suspend", "Suspend a cluster's servers."),
        ("resume", "Resume a suspended cluster."),
        ("check", "Check a ready cluster's health now: every node's daemons, disk and memory."),
        ("delete", "Delete a cluster."),
        ("ssh-key", "Save a cluster's SSH private key (mode 0600)."),
        ("ssh", "Log in to a cluster's master with ssh."),
        ("events", "Show what happened to a cluster."),
        ("images", "List the cloud's images."),
        ("flavors", "List the cloud's flavors."),
        ("networks", "List the cloud's networks."),
        ("token", "Print a Keystone token for the other commands (TOKEN=$(disco-cli token))."),
        ("help", "Show help for a command."),
    ]

    static func root() -> String {
        var text = """
            OVERVIEW: Manage DISCO clusters: Hadoop, Spark, Jupyter, Kafka… on OpenStack, through the DISCO service manager.

            USAGE: disco-cli [<options>] <subcommand>
                   disco-cli                     (interactive shell on a terminal; commands from stdin otherwise)

            OPTIONS:

            """
        text += rows(globalOptions + [("--version", "Show the version.")])
        text += "\nSUBCOMMANDS:\n"
        text += rows(commands)
        text += """

              See 'disco-cli help <subcommand>' for detailed help.

            """
        return text
    }

    static let specOptions: [(String, String)] = [
        ("<name>", "The cluster's name (letters, digits, '-'; or --name)."),
        ("-f, --file <spec.json>", "A JSON cluster spec (as POST /api/v1/clusters takes); flags override its fields. '-' reads stdin."),
        ("-c, --component <names>", "Components to install, comma-separated or repeated; dependencies are added (e.g. spark adds hadoop)."),
        ("-p, --property <c.key=value>", "A component property, e.g. jupyter.password=… (secrets missing on a terminal are asked for)."),
        ("-w, --workers <n>", "Number of workers (default: 2)."),
        ("--image <image>", "Image of every node (default: ubuntu-22.04)."),
        ("--flavor <flavor>", "Flavor of every node (default: m1.medium)."),
        ("--master-image <image>", "Image of the master only."),
        ("--worker-image <image>", "Image of the workers only."),
        ("--master-flavor <flavor>", "Flavor of the master only."),
        ("--worker-flavor <flavor>", "Flavor of the workers only."),
        ("--external-network <net>", "Floating IP pool (default: public)."),
        ("--network <name>", "Name of the cluster network (default: <name>-net)."),
        ("--ttl <duration>", "Delete the cluster automatically after this long (e.g. 8h, 2d)."),
        ("--tag <tag>", "A label (repeatable)."),
    ]

    static let waitOptions: [(String, String)] = [
        ("--wait", "Follow the cluster until it settles (progress bar on a terminal)."),
        ("--interval <seconds>", "Seconds between polls (default: 1)."),
        ("--timeout <duration>", "Give up waiting after this long (default: 1h); exit 1."),
    ]

    static func page(_ command: String) -> Page {
        switch command {
        case "components":
            return Page(overview: "List the component catalog: versions, requirements, ports and properties.",
                        usage: "disco-cli components [--offline] [--json]",
                        options: [("--offline", "Use the catalog built into disco-cli instead of asking the server.")],
                        discussion: "JSON: {\"components\": [{name, version, summary, requires, conflicts, implicit, properties, ports, ui}]}")
        case "plan":
            return Page(overview: "Resolve a cluster spec and print the plan (components and why, ports, resource totals) and its Heat template.",
                        usage: "disco-cli plan [<name>] [<spec options>] [--format yaml|json] [--template-only | -o <file>]",
                        options: specOptions.map { $0.0 == "--flavor <flavor>"
                            ? ("--flavor <flavor>", "Flavor of every node (default: m1.medium); NAME:VCPUS:RAM_MB:DISK_GB defines one offline.")
                            : $0 } + [
                            ("--format <yaml|json>", "Template format (default: yaml)."),
                            ("--template-only", "Print only the template, e.g. for 'openstack stack create -t'."),
                            ("-o, --output <file>", "Write the template to <file>; the plan goes to stdout."),
                            ("--public-key <file>", "Your SSH public key to put in the template (else a key pair is generated)."),
                            ("--key-out <file>", "Where to save a generated private key (mode 0600)."),
                            ("--remote", "Plan against the server's cloud (POST /api/v1/plan) instead of offline."),
                        ],
                        discussion: """
                            Offline plans need no server: they use a built-in inventory equal to the simulated cloud's \
                            (images ubuntu-22.04, ubuntu-24.04, debian-12; flavors m1.small 1/2048/20, m1.medium 2/4096/40, \
                            m1.large 4/8192/80, m1.xlarge 8/16384/160; external network public). Images and networks you name are \
                            taken as given; other flavors can be defined with --flavor NAME:VCPUS:RAM_MB:DISK_GB.
                            JSON: {"plan": {...}, "template": "...", "format": "yaml|json", "inventory": "built-in|server"}
                            Example: disco-cli plan demo -c spark -p jupyter.password=… --template-only > stack.yaml
                                     openstack stack create -t stack.yaml demo
                            """)
        case "create":
            return Page(overview: "Create a cluster. It is created in the background; --wait follows it until it is ready or failed.",
                        usage: "disco-cli create [<name>] [<spec options>] [--wait]",
                        options: specOptions + waitOptions,
                        discussion: """
                            In the interactive shell, 'create' without arguments asks for everything, offering the cloud's images, \
                            flavors and networks and the catalog's components.
                            JSON: the cluster object (after --wait: its final state).
                            Example: disco-cli create demo -c spark,jupyter -p jupyter.password=s3cret-pw -w 2 --wait
                            """)
        case "list":
            return Page(overview: "List the project's clusters.", usage: "disco-cli list [--json]",
                        discussion: """
                            HEALTH is a ready cluster's last health check: green, yellow (degraded but usable) or red; '-' \
                            before the first check and in other states ('disco-cli show' says why).
                            JSON: {"clusters": [<cluster>…]}
                            """)
        case "show":
            return Page(overview: "Show a cluster: state, health, nodes, components, addresses and web UIs.",
                        usage: "disco-cli show <cluster> [--json]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        discussion: "JSON: the cluster object.")
        case "watch":
            return Page(overview: "Follow a cluster live until it is ready, suspended, failed or deleted.",
                        usage: "disco-cli watch <cluster> [--health] [--interval <seconds>] [--timeout <duration>]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        options: [("--health", "Keep following a ready cluster and print each change of its health, until --timeout or Ctrl-C.")]
                            + Array(waitOptions.dropFirst()),
                        discussion: """
                            Health changes (green, yellow, red and why) are shown as they happen. Exit status 1 if the cluster \
                            ends failed. JSON: the cluster object in its final state.
                            """)
        case "check":
            return Page(overview: "Check a ready cluster's health now: DISCO reads the health document its master publishes.",
                        usage: "disco-cli check <cluster> [--json]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        discussion: """
                            Prints green (all well), yellow (degraded but usable, e.g. a worker's daemon down) or red (a master \
                            daemon down or the cluster unreadable), every reason, and a table of the nodes: the daemons not \
                            running, free disk and available memory. DISCO also checks every ready cluster by itself (see \
                            'disco-cli show'). Exit status 0 whatever the health; 1 if the check could not run (e.g. the \
                            cluster is not ready). JSON: the cluster object with its new "health".
                            """)
        case "scale":
            return Page(overview: "Change the number of workers.",
                        usage: "disco-cli scale <cluster> <workers> [--wait]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix."), ("<workers>", "The new number of workers (0…\(SpecLimits.standard.maxWorkers)).")],
                        options: waitOptions, discussion: "JSON: the cluster object.")
        case "suspend", "resume":
            return Page(overview: command == "suspend" ? "Suspend a ready cluster's servers." : "Resume a suspended cluster.",
                        usage: "disco-cli \(command) <cluster> [--wait]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        options: waitOptions, discussion: "JSON: the cluster object.")
        case "delete":
            return Page(overview: "Delete a cluster and everything created for it.",
                        usage: "disco-cli delete <cluster> [--wait] [--yes]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        options: [("-y, --yes", "Do not ask for confirmation (asked only on a terminal).")] + waitOptions,
                        discussion: "JSON: the cluster object (state deleting, or deleted after --wait).")
        case "ssh-key":
            return Page(overview: "Save a cluster's SSH private key, readable only by you (mode 0600).",
                        usage: "disco-cli ssh-key <cluster> [-o <file> | -o -] [--force]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        options: [("-o, --output <file>", "Where to write the key (default: ./<name>.id_ed25519); '-' prints it."),
                                  ("--force", "Replace an existing file.")],
                        discussion: "JSON: {\"cluster\", \"name\", \"path\"} (never the key).")
        case "ssh":
            return Page(overview: "Log in to a cluster's master: runs ssh -i <key> <user>@<external ip> [<ssh args>…].",
                        usage: "disco-cli ssh [-i <key>] [-l <user>] [--dry-run] <cluster> [<ssh argument>…]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix."),
                                    ("<ssh argument>", "Passed to ssh as is, e.g. -L 8088:localhost:8088 or a command.")],
                        options: [("-i, --identity <key>", "The private key (default: ./<name>.id_ed25519, fetched if missing)."),
                                  ("-l, --user <user>", "The login (default: the master image's, e.g. ubuntu)."),
                                  ("--dry-run", "Print the ssh command instead of running it.")],
                        discussion: """
                            After <cluster>, arguments go to ssh unchanged; disco-cli's own long options (--dry-run, --identity, \
                            --user, --json…) are still recognised there, until '--'.
                            Example: disco-cli ssh demo -N -L 8088:localhost:8088
                            JSON (with --dry-run): {"argv": [...]}
                            """)
        case "events":
            return Page(overview: "Show what happened to a cluster, oldest first.",
                        usage: "disco-cli events <cluster> [--json]",
                        arguments: [("<cluster>", "The cluster's name, id or id prefix.")],
                        discussion: "JSON: {\"events\": [{time, state, message}]}")
        case "images", "flavors", "networks":
            return Page(overview: "List the cloud's \(command).", usage: "disco-cli \(command) [--json]",
                        discussion: "JSON: {\"\(command)\": [...]} as the server gives it.")
        case "token":
            return Page(overview: "Print a Keystone token for the other commands.",
                        usage: "disco-cli token",
                        discussion: """
                            Prints $OS_TOKEN (or --token/$DISCO_TOKEN) as is when set; otherwise signs in through the server \
                            (POST /api/v1/tokens) with OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME and OS_USER_DOMAIN_NAME, or \
                            with the simulated cloud's demo/demo/demo when none are set. Use: export DISCO_TOKEN=$(disco-cli token)
                            JSON: {"token", "expiresAt", "project", "projectID", "user"} (just {"token"} for a given token).
                            """)
        default:
            return Page(overview: "Show help for a command.", usage: "disco-cli help [<subcommand>]")
        }
    }

    static func text(for command: String?) -> String {
        guard let command else { return root() }
        let page = page(command)
        var text = "OVERVIEW: \(page.overview)\n\nUSAGE: \(page.usage)\n"
        if !page.arguments.isEmpty { text += "\nARGUMENTS:\n" + rows(page.arguments) }
        text += "\nOPTIONS:\n" + rows(page.options + globalOptions)
        if let discussion = page.discussion {
            text += "\n" + discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { line in line.hasPrefix(" ") ? [String(line)] : wrap(String(line), width: 100) }
                .joined(separator: "\n") + "\n"
        }
        return text
    }

    /// Usage line of a command, for usage errors.
    static func usage(for command: String?) -> String {
        command.map { page($0).usage } ?? "disco-cli [<options>] <subcommand>"
    }

    /// Rows of `  label  text`, the text starting at column 26 and wrapped at 100.
    static func rows(_ items: [(String, String)]) -> String {
        var text = ""
        for (label, description) in items {
            let lines = wrap(description, width: 74)
            if label.count <= 21 {
                text += "  " + label.padding(toLength: 24, withPad: " ", startingAt: 0) + lines[0] + "\n"
            } else {
                text += "  " + label + "\n" + String(repeating: " ", count: 26) + lines[0] + "\n"
            }
            for line in lines.dropFirst() { text += String(repeating: " ", count: 26) + line + "\n" }
        }
        return text
    }
}
