import Foundation

/// The orchestration, compute and network services of one project, as DISCO needs them.
///
/// Implemented over real OpenStack APIs and by the simulated cloud. Every method throws ``CloudError``.
public protocol Cloud: Sendable {
    /// Images, flavors, networks and quota headroom of the project.
    func inventory() async throws -> CloudInventory
    /// Creates a stack. Safe to repeat: when a stack of that name exists, its reference is returned.
    func createStack(_ request: StackRequest) async throws -> StackReference
    /// The stack, or `nil` when it does not exist (or its delete completed). Outputs come once it has settled; those
    /// in `knownOutputs` were resolved before and are final, so only the others are read.
    func stack(_ reference: StackReference, knownOutputs: [String: String]) async throws -> StackSnapshot?
    /// The stack's outputs resolved now, also while it is in progress (outputs not resolvable yet are left out).
    func outputs(of reference: StackReference) async throws -> [String: String]
    /// Events newer than `marker` (an event id), oldest first.
    func events(of reference: StackReference, after marker: String?) async throws -> [StackEvent]
    /// Updates parameters of a stack, keeping its template (`PATCH`); used for scaling.
    func updateStack(_ reference: StackReference, parameters: [String: String]) async throws
    /// Runs a stack action.
    func perform(_ action: StackAction, on reference: StackReference) async throws
    /// Starts deleting the stack. Deleting a stack that does not exist succeeds.
    func deleteStack(_ reference: StackReference) async throws
    /// Stacks carrying `tag`.
    func stacks(taggedWith tag: String) async throws -> [StackSnapshot]
}

extension Cloud {
    /// The stack, or `nil` when it does not exist (or its delete completed); every output is read once it has settled.
    public func stack(_ reference: StackReference) async throws -> StackSnapshot? {
        try await stack(reference, knownOutputs: [:])
    }
}
