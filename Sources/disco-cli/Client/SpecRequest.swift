import DiscoCore

/// The body of a create or plan: the spec less the fields the user left to the server, which fills them in from its
/// `[disco] default_image`, `default_flavor` and `default_external_network` (a worker field left out is the master's).
struct SpecRequest: Encodable, Sendable, Equatable {
    enum Field: Sendable, Hashable, CaseIterable {
        case masterImage, masterFlavor, workerImage, workerFlavor, externalNetwork
    }

    /// The spec, with ``SpecDefaults`` in the fields left out (what an offline plan uses).
    var spec: ClusterSpec
    /// The fields the server fills in.
    var leftOut: Set<Field>

    init(_ spec: ClusterSpec, leftOut: Set<Field> = []) {
        self.spec = spec
        self.leftOut = leftOut
    }

    private enum Keys: String, CodingKey {
        case name, master, worker, workers, network, externalNetwork, components, ttlSeconds, tags, allowedSources
    }

    private enum NodeKeys: String, CodingKey {
        case image, flavor
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(spec.name, forKey: .name)
        var master = c.nestedContainer(keyedBy: NodeKeys.self, forKey: .master)
        if !leftOut.contains(.masterImage) { try master.encode(spec.master.image, forKey: .image) }
        if !leftOut.contains(.masterFlavor) { try master.encode(spec.master.flavor, forKey: .flavor) }
        if !leftOut.isSuperset(of: [.workerImage, .workerFlavor]) {
            var worker = c.nestedContainer(keyedBy: NodeKeys.self, forKey: .worker)
            if !leftOut.contains(.workerImage) { try worker.encode(spec.worker.image, forKey: .image) }
            if !leftOut.contains(.workerFlavor) { try worker.encode(spec.worker.flavor, forKey: .flavor) }
        }
        try c.encode(spec.workers, forKey: .workers)
        try c.encodeIfPresent(spec.network, forKey: .network)
        if !leftOut.contains(.externalNetwork) { try c.encode(spec.externalNetwork, forKey: .externalNetwork) }
        if !spec.components.isEmpty { try c.encode(spec.components, forKey: .components) }
        try c.encodeIfPresent(spec.ttlSeconds, forKey: .ttlSeconds)
        if !spec.tags.isEmpty { try c.encode(spec.tags, forKey: .tags) }
        try c.encodeIfPresent(spec.allowedSources, forKey: .allowedSources)
    }
}
