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

/// Which nodes run a script fragment.
public enum NodeRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every node, before the role-specific fragment.
    case all
    case master
    case workers
}

/// A user-settable property of a component.
public struct PropertyDefinition: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case string, integer, boolean
    }

    public var type: Kind
    public var summary: String
    public var defaultValue: String?
    /// A whole-value regular expression every value must match before it may enter a script.
    public var pattern: String?
    /// A secret is never stored, logged or returned; it reaches the node only as its salted hash.
    public var isSecret: Bool
    public var isRequired: Bool

    /// What every secret value is: 1–256 characters, none a control character (C0, DEL, C1) or a line or paragraph
    /// separator (the characters a regular expression's `.` differs on between engines).
    public static let secretPattern = Pattern(#"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,256}$"#)

    public init(type: Kind = .string, summary: String = "", defaultValue: String? = nil, pattern: String? = nil,
                isSecret: Bool = false, isRequired: Bool = false) {
        self.type = type
        self.summary = summary
        self.defaultValue = defaultValue
        self.pattern = pattern
        self.isSecret = isSecret
        self.isRequired = isRequired
    }

    private enum CodingKeys: String, CodingKey {
        case type, summary, pattern
        case defaultValue = "default"
        case isSecret = "secret"
        case isRequired = "required"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(Kind.self, forKey: .type) ?? .string
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? ""
        defaultValue = try c.decodeIfPresent(String.self, forKey: .defaultValue)
        pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
        isSecret = try c.decodeIfPresent(Bool.self, forKey: .isSecret) ?? false
        isRequired = try c.decodeIfPresent(Bool.self, forKey: .isRequired) ?? false
    }
}

/// A port a component listens on.
public struct PortDefinition: Sendable, Hashable, Codable {
    public enum Exposure: String, Sendable, Hashable, Codable {
        /// Opened to the world in the security group.
        case `public`
        /// Reachable only from inside the cluster network.
        case `internal`
    }

    public var port: Int
    public var `protocol`: String
    public var exposure: Exposure
    public var description: String

    public init(port: Int, protocol: String = "tcp", exposure: Exposure, description: String = "") {
        self.port = port
        self.protocol = `protocol`
        self.exposure = exposure
        self.description = description
    }

    private enum CodingKeys: String, CodingKey { case port, `protocol`, exposure, description }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        port = try c.decode(Int.self, forKey: .port)
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol) ?? "tcp"
        exposure = try c.decode(Exposure.self, forKey: .exposure)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
    }
}

/// How the master decides a component is up before signalling it ready.
public struct ReadinessCheck: Sendable, Hashable, Codable {
    /// A TCP port on the master that must accept connections.
    public var port: Int?
    /// A URL on the master that must answer 2xx/3xx (e.g. `http://127.0.0.1:8088/ws/v1/cluster/info`).
    public var url: String?
    public var timeoutSeconds: Int

    public init(port: Int? = nil, url: String? = nil, timeoutSeconds: Int = 900) {
        self.port = port
        self.url = url
        self.timeoutSeconds = timeoutSeconds
    }

    private enum CodingKeys: String, CodingKey { case port, url, timeoutSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 900
    }
}

/// A web UI a component offers on the master.
public struct UILink: Sendable, Hashable, Codable {
    public var name: String
    public var port: Int
    public var path: String
    /// `http` or `https`.
    public var scheme: String

    public init(name: String, port: Int, path: String = "/", scheme: String = "http") {
        self.name = name
        self.port = port
        self.path = path
        self.scheme = scheme
    }

    private enum CodingKeys: String, CodingKey { case name, port, path, scheme }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        port = try c.decode(Int.self, forKey: .port)
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
        scheme = try c.decodeIfPresent(String.self, forKey: .scheme) ?? "http"
        guard scheme == "http" || scheme == "https" else {
            throw DecodingError.dataCorruptedError(forKey: .scheme, in: c, debugDescription: "scheme must be http or https")
        }
    }
}

/// An artefact fetched from the download mirror and checked against its SHA-512.
public struct Download: Sendable, Hashable, Codable {
    /// Used in the script as `DISCO_DL_<ID>`.
    public var id: String
    /// Path below the mirror, e.g. `hadoop/common/hadoop-3.4.1/hadoop-3.4.1.tar.gz`.
    public var path: String
    /// Pinned lower-case hex SHA-512; when absent the script verifies against `<checksum base>/<path>.sha512`.
    public var sha512: String?

    public init(id: String, path: String, sha512: String? = nil) {
        self.id = id
        self.path = path
        self.sha512 = sha512
    }
}
