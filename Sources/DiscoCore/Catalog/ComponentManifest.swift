import Foundation

/// The declarative description of one installable component: `component.json` in the component's folder.
///
/// ```json
/// { "name": "spark", "version": "3.5.3", "summary": "Apache Spark on YARN with its history server",
///   "requires": ["hadoop"], "conflicts": [],
///   "properties": { "executor_memory": { "type": "string", "default": "1g", "pattern": "^[0-9]{1,6}[mg]$" } },
///   "ports": [ { "port": 18080, "exposure": "public", "description": "Spark history server" } ],
///   "fragments": { "all": "all.sh", "master": "master.sh" },
///   "readiness": { "port": 18080, "timeoutSeconds": 900 },
///   "ui": [ { "name": "Spark history", "port": 18080, "path": "/" } ],
///   "downloads": [ { "id": "spark", "path": "spark/spark-3.5.3/spark-3.5.3-bin-hadoop3.tgz", "sha512": "…" } ] }
/// ```
public struct ComponentManifest: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    public var summary: String
    /// Why this version, and which Java and neighbouring versions upstream supports it with; empty when nothing to say.
    public var compatibility: String
    /// Components this one needs; the planner adds them.
    public var requires: [String]
    /// Components that cannot be installed together with this one.
    public var conflicts: [String]
    public var properties: [String: PropertyDefinition]
    public var ports: [PortDefinition]
    /// Script fragment file names by the nodes that run them.
    public var fragments: [NodeRole: String]
    public var readiness: ReadinessCheck?
    public var ui: [UILink]
    public var downloads: [Download]
    /// The memory its processes need on the nodes they run on; the planner shares each node's RAM among them.
    public var memory: [MemoryDemand]
    /// The long-running services its scripts start, and where; what the health monitor expects to find running.
    public var daemons: [ComponentDaemon]
    /// Whether users pick this component; `false` for ones that are always installed (the base).
    public var isImplicit: Bool

    public init(name: String, version: String, summary: String, compatibility: String = "", requires: [String] = [],
                conflicts: [String] = [],
                properties: [String: PropertyDefinition] = [:], ports: [PortDefinition] = [],
                fragments: [NodeRole: String] = [:], readiness: ReadinessCheck? = nil, ui: [UILink] = [],
                downloads: [Download] = [], memory: [MemoryDemand] = [], daemons: [ComponentDaemon] = [],
                isImplicit: Bool = false) {
        self.name = name
        self.version = version
        self.summary = summary
        self.compatibility = compatibility
        self.requires = requires
        self.conflicts = conflicts
        self.properties = properties
        self.ports = ports
        self.fragments = fragments
        self.readiness = readiness
        self.ui = ui
        self.downloads = downloads
        self.memory = memory
        self.daemons = daemons
        self.isImplicit = isImplicit
    }

    private enum CodingKeys: String, CodingKey {
        case name, version, summary, compatibility, requires, conflicts, properties, ports, fragments, readiness, ui, downloads, memory, daemons
        case isImplicit = "implicit"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(String.self, forKey: .version)
        summary = try c.decode(String.self, forKey: .summary)
        compatibility = try c.decodeIfPresent(String.self, forKey: .compatibility) ?? ""
        requires = try c.decodeIfPresent([String].self, forKey: .requires) ?? []
        conflicts = try c.decodeIfPresent([String].self, forKey: .conflicts) ?? []
        properties = try c.decodeIfPresent([String: PropertyDefinition].self, forKey: .properties) ?? [:]
        ports = try c.decodeIfPresent([PortDefinition].self, forKey: .ports) ?? []
        let rawFragments = try c.decodeIfPresent([String: String].self, forKey: .fragments) ?? [:]
        var fragments: [NodeRole: String] = [:]
        for (key, file) in rawFragments {
            guard let role = NodeRole(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .fragments, in: c,
                    debugDescription: "unknown node role '\(key)'; use one of: \(NodeRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            fragments[role] = file
        }
        self.fragments = fragments
        readiness = try c.decodeIfPresent(ReadinessCheck.self, forKey: .readiness)
        ui = try c.decodeIfPresent([UILink].self, forKey: .ui) ?? []
        downloads = try c.decodeIfPresent([Download].self, forKey: .downloads) ?? []
        memory = try c.decodeIfPresent([MemoryDemand].self, forKey: .memory) ?? []
        for demand in memory {
            if let property = demand.property, properties[property] == nil {
                throw DecodingError.dataCorruptedError(forKey: .memory, in: c,
                                                       debugDescription: "memory '\(demand.id)' names '\(property)', which is not a property")
            }
        }
        daemons = try c.decodeIfPresent([ComponentDaemon].self, forKey: .daemons) ?? []
        for daemon in daemons where daemon.unit.isEmpty || daemon.unit.utf8.count > 64
            || !daemon.unit.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) {
            throw DecodingError.dataCorruptedError(forKey: .daemons, in: c,
                                                   debugDescription: "daemon unit '\(daemon.unit)' is not 1-64 of a-z, 0-9 and '-'")
        }
        isImplicit = try c.decodeIfPresent(Bool.self, forKey: .isImplicit) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(summary, forKey: .summary)
        if !compatibility.isEmpty { try c.encode(compatibility, forKey: .compatibility) }
        try c.encode(requires, forKey: .requires)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(properties, forKey: .properties)
        try c.encode(ports, forKey: .ports)
        try c.encode(Dictionary(uniqueKeysWithValues: fragments.map { ($0.key.rawValue, $0.value) }), forKey: .fragments)
        try c.encodeIfPresent(readiness, forKey: .readiness)
        try c.encode(ui, forKey: .ui)
        try c.encode(downloads, forKey: .downloads)
        if !memory.isEmpty { try c.encode(memory, forKey: .memory) }
        if !daemons.isEmpty { try c.encode(daemons, forKey: .daemons) }
        try c.encode(isImplicit, forKey: .isImplicit)
    }
}
