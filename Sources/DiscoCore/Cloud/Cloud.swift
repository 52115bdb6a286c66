import Foundation

/// The orchestration, compute and network services of one project, as DISCO needs them.
///
/// Implemented over real OpenStack APIs and by the simulated cloud. Every method throws ``CloudError``.
public protocol Cloud: Sendable {
    /// Images, flavors, networks and quota headroom of the project.
    func inventory() async throws -> CloudInventory
    /// Creates a stack. Safe to repeat: when a stack of that name exists, its reference is returned.
    func createStack(_ request: StackRequest) async throws -> StackReference
    /// The stack without its outputs (one read that resolves nothing), or `nil` when it does not exist (or its delete
    /// completed).
    func stackStatus(_ reference: StackReference) async throws -> StackSnapshot?
    /// The stack's outputs resolved now, also while it is in progress (outputs not resolvable yet are left out). Those
    /// in `known` were resolved before and are final: they are returned as given and only the others are read, but for
    /// those in `later` (when nothing is known, one read resolves them all anyway).
    func outputs(of reference: StackReference, knowing known: [String: String], leaving later: Set<String>) async throws
        -> [String: String]
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
    /// The stack, or `nil` when it does not exist (or its delete completed). Outputs come once it has settled: while
    /// it is in progress they are not final, and resolving them costs Heat a Nova or Neutron call per server and
    /// address on every read. Those in `knownOutputs` were resolved before and are final, so only the others are read.
    public func stack(_ reference: StackReference, knownOutputs: [String: String] = [:]) async throws -> StackSnapshot? {
        guard var snapshot = try await stackStatus(reference) else { return nil }
        guard !snapshot.status.isInProgress else { return snapshot }
        snapshot.outputs = try await outputs(of: snapshot.reference, knowing: knownOutputs)
        return snapshot
    }

    /// Every output of the stack resolved now, also while it is in progress (those not resolvable yet are left out).
    public func outputs(of reference: StackReference) async throws -> [String: String] {
        try await outputs(of: reference, knowing: [:], leaving: [])
    }

    /// The stack's outputs, reading only those not in `known`.
    public func outputs(of reference: StackReference, knowing known: [String: String]) async throws -> [String: String] {
        try await outputs(of: reference, knowing: known, leaving: [])
    }
}
