import DiscoCore
import Foundation

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
    /// `list --names`: the names of the clusters not deleted, one per line, for the completion scripts.
    case clusterNames
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
