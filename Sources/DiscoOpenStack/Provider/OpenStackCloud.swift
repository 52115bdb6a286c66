public import DiscoCore
import Foundation

/// DiscoCore's ``DiscoCore/Cloud`` over real OpenStack APIs, for one authenticated project session.
public struct OpenStackCloud: Cloud {
    public let session: OpenStackSession
    public let heat: HeatClient
    public let nova: NovaClient
    public let neutron: NeutronClient
    public let glance: GlanceClient

    /// The owner's own session, when one is at hand: for the calls that make Heat manage a trust, which Keystone
    /// refuses delegated credentials (create: Heat makes its trust; delete: Heat deletes it), and for reads of the stack,
    /// so that a stack being made is followed with the token its services have already checked (each service checks a
    /// new credential's token with Keystone the first time it sees it: tenths of a second each on a busy cloud).
    let owner: (@Sendable () -> OpenStackSession?)?
    /// Told when Keystone no longer accepts the owner's token (revoked, or expired early): later calls use the session.
    let ownerRejected: (@Sendable () -> Void)?

    public init(session: OpenStackSession, owner: (@Sendable () -> OpenStackSession?)? = nil,
                ownerRejected: (@Sendable () -> Void)? = nil) {
        self.session = session
        self.owner = owner
        self.ownerRejected = ownerRejected
        heat = HeatClient(session: session)
        nova = NovaClient(session: session)
        neutron = NeutronClient(session: session)
        glance = GlanceClient(session: session)
    }

    public func inventory() async throws -> CloudInventory {
        try await asOwner { try await $0.sessionInventory() }
    }

    private func sessionInventory() async throws -> CloudInventory {
        async let images = glance.images()
        async let flavors = nova.flavors()
        async let networks = neutron.networks()
        async let limits = nova.headroom()
        // Neutron's floating IP quota is optional (nil when unlimited or unknown); read beside the others.
        async let floating = { [session, neutron] in
            try? await neutron.floatingIPHeadroom(projectID: try await session.principal().projectID)
        }()
        var quota = try await limits
        if let floating = await floating { quota.floatingIPs = floating }
        return CloudInventory(images: try await images, flavors: try await flavors, networks: try await networks, quota: quota)
    }

    /// Runs `body` with the owner's session when there is one, else (or when the owner's token is refused) this one.
    func asOwner<T>(_ body: (OpenStackCloud) async throws -> T) async throws -> T {
        if let ownerSession = owner?() {
            do {
                return try await body(OpenStackCloud(session: ownerSession))
            } catch let error as CloudError where error.kind == .unauthorized {
                ownerRejected?()
            }
        }
        return try await body(self)
    }

    public func createStack(_ request: StackRequest) async throws -> StackReference {
        let create = try HeatStackCreate(request)
        do {
            return try await asOwner { try await $0.heat.create(create) }
        } catch let error as CloudError where error.kind == .conflict {
            if let existing = try await heat.find(name: request.name) { return existing }
            throw error
        } catch let error as CloudError where error.kind == .unreachable {
            // No answer: Heat may still be creating it. Look for it before the caller tries again.
            for _ in 0..<5 {
                if let existing = try? await heat.find(name: request.name) { return existing }
                try await session.configuration.clock.sleep(seconds: 3)
            }
            throw error
        }
    }

    /// The stack without its outputs; a reference with an empty id is looked up by name.
    public func stackStatus(_ reference: StackReference) async throws -> StackSnapshot? {
        try await asOwner { owner in
            let heat = owner.heat
            var reference = reference
            if reference.id.isEmpty {
                guard let found = try await heat.find(name: reference.name) else { return nil }
                reference = found
            }
            guard let stack = try await heat.show(reference, resolvingOutputs: false), stack.status != .deleteComplete else {
                return nil
            }
            return stack.snapshot
        }
    }

    public func outputs(of reference: StackReference, knowing known: [String: String], leaving later: Set<String>)
        async throws -> [String: String] {
        // Nothing known: one read resolves them all (each output read by itself would load the stack again). Else each
        // one missing (typically the install signals' data) by itself, all at once: nothing known is resolved again.
        try await asOwner { owner in
            let heat = owner.heat
            guard !known.isEmpty else { return try await heat.show(reference)?.snapshot.outputs ?? [:] }
            let missing = try await heat.outputKeys(reference).filter { known[$0] == nil && !later.contains($0) }
            return try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for key in missing {
                    group.addTask { (key, try await heat.output(reference, key: key).map { $0.stringValue ?? $0.jsonText }) }
                }
                var outputs = known
                for try await (key, value) in group {
                    if let value { outputs[key] = value }
                }
                return outputs
            }
        }
    }

    /// Events after `marker`; when Heat has pruned the marker's event, from the start again.
    public func events(of reference: StackReference, after marker: String?) async throws -> [StackEvent] {
        try await asOwner { owner in
            let heat = owner.heat
            do {
                return try await heat.events(reference, after: marker)
            } catch let error as CloudError where error.kind == .notFound && marker != nil {
                return try await heat.events(reference, after: nil)
            }
        }
    }

    public func updateStack(_ reference: StackReference, parameters: [String: String]) async throws {
        try await heat.update(reference, parameters: parameters)
    }

    public func perform(_ action: StackAction, on reference: StackReference) async throws {
        try await heat.perform(action, on: reference)
    }

    public func deleteStack(_ reference: StackReference) async throws {
        try await asOwner { try await $0.heat.delete(reference) }
    }

    public func stacks(taggedWith tag: String) async throws -> [StackSnapshot] {
        try await heat.list(tags: [tag]).filter { $0.status != .deleteComplete }.map(\.snapshot)
    }

    /// Problems of a planned deployment against the inventory, with "did you mean" suggestions.
    public static func problems(image: String?, flavors: [String], externalNetwork: String?,
                                in inventory: CloudInventory) -> [String] {
        var problems: [String] = []
        if let image, inventory.image(image) == nil {
            problems.append(NameSuggestions.message(kind: "image", name: image, candidates: inventory.images.map(\.name)))
        }
        for flavor in Set(flavors) where inventory.flavor(flavor) == nil {
            problems.append(NameSuggestions.message(kind: "flavor", name: flavor, candidates: inventory.flavors.map(\.name)))
        }
        if let externalNetwork {
            if let network = inventory.network(externalNetwork) {
                if !network.isExternal { problems.append("network '\(externalNetwork)' is not external (router:external)") }
            } else {
                problems.append(NameSuggestions.message(kind: "external network", name: externalNetwork,
                                                        candidates: inventory.networks.filter(\.isExternal).map(\.name)))
            }
        }
        return problems
    }
}
