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
