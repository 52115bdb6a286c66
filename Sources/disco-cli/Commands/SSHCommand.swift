import DiscoCore
import Foundation

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
