import DiscoCore
import Foundation

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
