/// Settings that shape every plan; operators set them in the server configuration.
public struct PlanOptions: Sendable, Hashable {
    /// Base URL artefacts are downloaded from.
    public var mirror: String
    /// Base URL of the Apache `.sha512` files used when a manifest pins no checksum.
    public var checksumBase: String
    /// The cluster network's CIDR (each cluster has its own network, so clusters may share it).
    public var clusterCIDR: String
    /// DNS servers for the cluster subnet; empty leaves Neutron's default.
    public var dnsNameservers: [String]
    /// How long the install may take before the stack fails.
    public var installTimeoutSeconds: Int
    public var limits: SpecLimits

    public init(mirror: String = "https://archive.apache.org/dist", checksumBase: String = "https://archive.apache.org/dist",
                clusterCIDR: String = "10.42.0.0/24", dnsNameservers: [String] = [], installTimeoutSeconds: Int = 3600,
                limits: SpecLimits = .standard) {
        self.mirror = mirror
        self.checksumBase = checksumBase
        self.clusterCIDR = clusterCIDR
        self.dnsNameservers = dnsNameservers
        self.installTimeoutSeconds = installTimeoutSeconds
        self.limits = limits
    }
}

/// What is fixed per cluster before planning: its identity, keys and the salt for secret hashes.
public struct PlanContext: Sendable, Hashable {
    public var clusterID: String
    public var keys: ClusterKeys
    /// Salt for hashing secret properties: random per cluster, at least 8 bytes.
    public var secretSalt: String
    /// Whether secrets are hashed (argon2id takes about 0.1 s each); a preview shows a placeholder instead.
    public var hashesSecrets: Bool

    public init(clusterID: String, keys: ClusterKeys, secretSalt: String, hashesSecrets: Bool = true) {
        self.clusterID = clusterID
        self.keys = keys
        self.secretSalt = secretSalt
        self.hashesSecrets = hashesSecrets
    }

    /// What a preview's template shows where a secret's hash will be.
    public static let secretHashPlaceholder = "argon2:(hashed when the cluster is created)"

    /// The Heat stack name: deterministic, so a repeated create finds the stack instead of making another.
    public var stackName: String { "disco-\(clusterID)" }
}

/// A port opened for the cluster.
public struct PlannedPort: Sendable, Hashable, Codable {
    public var port: Int
    public var `protocol`: String
    public var exposure: PortDefinition.Exposure
    /// The components that need it (`base` for SSH and the status page).
    public var components: [String]
    public var description: String
}

/// A component web UI on the master.
public struct PlannedUILink: Sendable, Hashable, Codable {
    public var component: String
    public var name: String
    public var port: Int
    public var path: String
    public var scheme: String
    /// Whether the port is open to the world; internal ones are reached through an SSH tunnel.
    public var isPublic: Bool
    /// The Heat output carrying the URL.
    public var outputKey: String
}

/// What the cluster will use of the project's quota.
public struct ResourceTotals: Sendable, Hashable, Codable {
    public var instances: Int
    public var vcpus: Int
    public var ramMB: Int
    public var diskGB: Int
    public var floatingIPs: Int
    public var networks: Int
    public var routers: Int
    public var securityGroups: Int

    public init(instances: Int, vcpus: Int, ramMB: Int, diskGB: Int, floatingIPs: Int, networks: Int, routers: Int,
                securityGroups: Int) {
        self.instances = instances
        self.vcpus = vcpus
        self.ramMB = ramMB
        self.diskGB = diskGB
        self.floatingIPs = floatingIPs
        self.networks = networks
        self.routers = routers
        self.securityGroups = securityGroups
    }
}

/// Everything a user sees before anything is created: components and why, ports, resource totals, the template.
public struct ClusterPlan: Sendable, Hashable {
    public var spec: ClusterSpec
    public var stackName: String
    public var components: [ResolvedComponent]
    public var ports: [PlannedPort]
    public var totals: ResourceTotals
    public var uiLinks: [PlannedUILink]
    /// YARN sizing when Hadoop is installed.
    public var yarn: YarnSizing?
    /// Spark's AM and executor sizes when Spark is installed.
    public var spark: SparkSizing?
    /// Each node's memory: the OS's part and every process's share (the master's, then the workers').
    public var memory: [NodeMemoryBudget]
    public var template: HeatTemplate
    /// Template parameters to send with the create (the template carries them as defaults too).
    public var parameters: [String: String]
    /// How long the install may take before the wait condition fails the stack.
    public var installTimeoutSeconds: Int
    public var masterScript: String
    public var workerScript: String

    /// The part of the plan that is data (no template), for APIs.
    public var summary: PlanSummary {
        PlanSummary(name: spec.name, stackName: stackName, workers: spec.workers, components: components, ports: ports,
                    totals: totals, uiLinks: uiLinks, yarn: yarn, spark: spark, memory: memory,
                    scriptBytes: .init(master: masterScript.utf8.count, worker: workerScript.utf8.count))
    }
}

/// A plan without its template and scripts.
public struct PlanSummary: Sendable, Hashable, Codable {
    public struct ScriptBytes: Sendable, Hashable, Codable {
        public var master: Int
        public var worker: Int
    }

    public var name: String
    public var stackName: String
    public var workers: Int
    public var components: [ResolvedComponent]
    public var ports: [PlannedPort]
    public var totals: ResourceTotals
    public var uiLinks: [PlannedUILink]
    public var yarn: YarnSizing?
    public var spark: SparkSizing?
    /// Each node's memory: the OS's part and every process's share.
    public var memory: [NodeMemoryBudget]
    public var scriptBytes: ScriptBytes
}

/// The API shape of a plan: a component's reason is `"requested"`, `"implicit"` or `"requiredBy"` with the names in
/// `requiredBy` (not the enum's synthesized `{"requiredBy": {"_0": [...]}}`).
extension PlanSummary {
    private enum CodingKeys: String, CodingKey {
        case name, stackName, workers, components, ports, totals, uiLinks, yarn, spark, memory, scriptBytes
    }

    private struct Component: Codable {
        var name: String
        var version: String
        var reason: String
        var requiredBy: [String]?
        var properties: [String: String]

        init(_ component: ResolvedComponent) {
            name = component.name
            version = component.version
            properties = component.properties
            switch component.reason {
            case .requested: reason = "requested"
            case .implicit: reason = "implicit"
            case let .requiredBy(names):
                reason = "requiredBy"
                requiredBy = names
            }
        }

        var resolved: ResolvedComponent {
            let why: ResolvedComponent.Reason = switch reason {
            case "requested": .requested
            case "implicit": .implicit
            default: .requiredBy(requiredBy ?? [])
            }
            return ResolvedComponent(name: name, version: version, reason: why, properties: properties)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), stackName: try c.decode(String.self, forKey: .stackName),
                  workers: try c.decode(Int.self, forKey: .workers),
                  components: try c.decode([Component].self, forKey: .components).map(\.resolved),
                  ports: try c.decode([PlannedPort].self, forKey: .ports), totals: try c.decode(ResourceTotals.self, forKey: .totals),
                  uiLinks: try c.decode([PlannedUILink].self, forKey: .uiLinks), yarn: try c.decodeIfPresent(YarnSizing.self, forKey: .yarn),
                  spark: try c.decodeIfPresent(SparkSizing.self, forKey: .spark), memory: try c.decode([NodeMemoryBudget].self, forKey: .memory),
                  scriptBytes: try c.decode(ScriptBytes.self, forKey: .scriptBytes))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(stackName, forKey: .stackName)
        try c.encode(workers, forKey: .workers)
        try c.encode(components.map(Component.init), forKey: .components)
        try c.encode(ports, forKey: .ports)
        try c.encode(totals, forKey: .totals)
        try c.encode(uiLinks, forKey: .uiLinks)
        try c.encodeIfPresent(yarn, forKey: .yarn)
        try c.encodeIfPresent(spark, forKey: .spark)
        try c.encode(memory, forKey: .memory)
        try c.encode(scriptBytes, forKey: .scriptBytes)
    }
}
