import Foundation

/// A step on the way from a create request to a ready cluster, in the order they usually happen.
///
/// The raw values are the fixed label set of `disco_create_phase_seconds` in `/metrics` and the names of the
/// cluster's timeline in the APIs.
public enum CreatePhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// The request was read, authenticated and its spec parsed (the timeline's origin).
    case validated
    /// The project's images, flavors and networks were at hand and the plan checked against them.
    case inventoryChecked = "inventory_checked"
    /// The cluster's user SSH key pair was made.
    case keysMade = "keys_made"
    /// The cluster's delegated credential was made.
    case credentialMade = "credential_made"
    /// Heat answered the stack create.
    case stackCreated = "stack_created"
    /// The master server is up (Heat's `CREATE_COMPLETE` of `master`).
    case serversActive = "servers_active"
    /// A component's install signalled (one mark per component).
    case componentSignalled = "component_signalled"
    /// DISCO saw the stack complete: the cluster is ready.
    case ready
}
