import DiscoCore
import Foundation

/// Options every command accepts, before or after the command name.
struct GlobalOptions: Sendable, Equatable {
    /// `--url`; else `DISCO_URL`; else `http://127.0.0.1:8888`.
    var url: String?
    /// `--token`; else `DISCO_TOKEN`, `OS_TOKEN`; else one is obtained from `OS_*` credentials.
    var token: String?
    /// `--json`: print the server's JSON objects instead of tables.
    var json = false
    /// `--no-color`.
    var noColor = false
}

/// A parsed command line.
struct Invocation: Sendable, Equatable {
    var global = GlobalOptions()
    var command: Command
}

/// What the user asked for.
enum Command: Sendable, Equatable {
    case help(String?)
    case version
    /// No arguments: the interactive shell on a terminal, commands line by line otherwise.
    case shell
    case components(offline: Bool)
    case plan(PlanCommand)
    case create(CreateCommand)
    case list
    case show(cluster: String)
    case watch(WaitOptions, cluster: String)
    case scale(WaitOptions, cluster: String, workers: Int)
    case suspend(WaitOptions, cluster: String)
    case resume(WaitOptions, cluster: String)
    /// The `check` action: read the cluster's health now.
    case check(cluster: String)
    case delete(WaitOptions, cluster: String, yes: Bool)
    case sshKey(cluster: String, output: String?, force: Bool)
    case ssh(SSHCommand)
    case events(cluster: String)
    case token
    case images
    case flavors
    case networks
    /// A shell completion script.
    case completion(CompletionScript.Shell)

}

/// How to follow a cluster until it settles.
struct WaitOptions: Sendable, Equatable {
    var wait = false
    /// Seconds between polls.
    var interval: Double = 1
    /// Seconds before giving up.
    var timeout: Double = 3600
    /// `watch --health`: keep following a cluster that has settled, for its health changes, until the timeout.
    var health = false
}

/// A cluster spec given by flags and/or a JSON spec file.
struct SpecOptions: Sendable, Equatable {
    struct Property: Sendable, Equatable {
        var component: String
        var key: String
        var value: String
    }

    var file: String?
    var name: String?
    var image: String?
    var masterImage: String?
    var workerImage: String?
    var flavor: String?
    var masterFlavor: String?
    var workerFlavor: String?
    var workers: Int?
    var network: String?
    var externalNetwork: String?
    var components: [String] = []
    var properties: [Property] = []
    var ttlSeconds: Int?
    var tags: [String] = []
    /// Flavors defined on the command line (`--flavor NAME:VCPUS:RAM_MB:DISK_GB`), for offline plans.
    var flavorDefinitions: [Flavor] = []

    /// Whether anything beyond the defaults was given (a bare `create` in the shell is guided).
    var isEmpty: Bool { self == SpecOptions() }

    /// The spec: the file's (if any), then each flag on top, then defaults for what is still missing.
    func makeSpec(fileContents: String?) throws(SpecBuildError) -> ClusterSpec {
        var spec: ClusterSpec
        if let fileContents {
            do {
                spec = try JSONInput.decode(ClusterSpec.self, from: Data(fileContents.utf8))
            } catch {
                throw SpecBuildError("\(file ?? "spec file"): not a cluster spec: \(error)")
            }
        } else {
            guard name != nil else { throw SpecBuildError("a cluster needs a name: give <name> or -f <spec.json>", isUsage: true) }
            let node = NodeSpec(image: SpecDefaults.image, flavor: SpecDefaults.flavor)
            spec = ClusterSpec(name: "", master: node, worker: node, workers: SpecDefaults.workers,
                               externalNetwork: SpecDefaults.externalNetwork)
        }
        if let name { spec.name = name }
        if let image { spec.master.image = image; spec.worker.image = image }
        if let masterImage { spec.master.image = masterImage }
        if let workerImage { spec.worker.image = workerImage }
        if let flavor { spec.master.flavor = flavor; spec.worker.flavor = flavor }
        if let masterFlavor { spec.master.flavor = masterFlavor }
        if let workerFlavor { spec.worker.flavor = workerFlavor }
        if let workers { spec.workers = workers }
        if let network { spec.network = network }
        if let externalNetwork { spec.externalNetwork = externalNetwork }
        for component in components where spec.components[component] == nil { spec.components[component] = [:] }
        for property in properties { spec.components[property.component, default: [:]][property.key] = property.value }
        if let ttlSeconds { spec.ttlSeconds = ttlSeconds }
        if !tags.isEmpty { spec.tags += tags }
        return spec
    }
}

/// A spec that could not be put together.
struct SpecBuildError: Error, CustomStringConvertible {
    var description: String
    var isUsage = false
    init(_ description: String, isUsage: Bool = false) {
        self.description = description
        self.isUsage = isUsage
    }
}

/// `plan`: resolve a spec and print the plan and the Heat template.
struct PlanCommand: Sendable, Equatable {
    var spec = SpecOptions()
    /// `yaml` or `json`.
    var format = "yaml"
    /// Print only the template (for `openstack stack create -t /dev/stdin`).
    var templateOnly = false
    /// Write the template to this file instead.
    var output: String?
    /// Plan against the server's cloud (`POST /api/v1/plan`) instead of offline.
    var remote = false
    /// The user's public key to put in the template (offline); else a key pair is generated.
    var publicKeyFile: String?
    /// Where to write a generated private key (mode 0600).
    var keyOutput: String?
}

/// `create`.
struct CreateCommand: Sendable, Equatable {
    var spec = SpecOptions()
    var wait = WaitOptions()
}

/// `ssh`.
struct SSHCommand: Sendable, Equatable {
    var cluster: String
    var identity: String?
    /// `-l`; else the cluster's login user.
    var user: String?
    var extra: [String] = []
    /// Print the ssh command line instead of running it.
    var dryRun = false
}

/// A command line that cannot be understood: reported with the command's usage and exit status 64.
struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// The command whose help to point to; `nil` for the top level.
    var command: String?

    init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    var description: String { message }
}
