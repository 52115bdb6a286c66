/// Memory one process of a component needs on the node it runs on, as `component.json` declares it.
///
/// ```json
/// { "id": "namenode", "process": "NameNode", "placement": "master", "megabytes": 512, "overheadMB": 128 }
/// { "id": "containers", "process": "YARN containers", "placement": "workers", "elastic": true, "minimumMB": 1536 }
/// ```
///
/// The script gets the process's size as `DISCO_MEM_<COMPONENT>_<ID>_MB`: the heap (or process size) for a fixed
/// demand, the share of what is left on the node for an elastic one.
public struct MemoryDemand: Sendable, Hashable, Codable {
    /// Where the process runs.
    public enum Placement: String, Sendable, Hashable, Codable, CaseIterable {
        /// On the master.
        case master
        /// On every worker, or on the master when there are no workers.
        case workers
        /// On the master, only when there are workers (e.g. a dedicated controller merged into a broker without them).
        case masterWithWorkers
    }

    public var id: String
    /// The process as the plan shows it, e.g. `NameNode`.
    public var process: String
    public var placement: Placement
    /// A fixed size in MB (a heap, or a whole process for non-JVM processes).
    public var megabytes: Int?
    /// A property of the component giving the size (`1024`, `512m`, `2g`); 0 makes an elastic demand automatic.
    public var property: String?
    /// What the process needs beyond `megabytes` (JVM metaspace, threads, off-heap buffers).
    public var overheadMB: Int
    /// An elastic demand takes an equal part of what the node has left after the fixed ones.
    public var isElastic: Bool
    /// The least an elastic demand may get.
    public var minimumMB: Int

    public init(id: String, process: String, placement: Placement, megabytes: Int? = nil, property: String? = nil,
                overheadMB: Int = 0, isElastic: Bool = false, minimumMB: Int = 0) {
        self.id = id
        self.process = process
        self.placement = placement
        self.megabytes = megabytes
        self.property = property
        self.overheadMB = overheadMB
        self.isElastic = isElastic
        self.minimumMB = minimumMB
    }

    private enum CodingKeys: String, CodingKey {
        case id, process, placement, megabytes, property, overheadMB, minimumMB
        case isElastic = "elastic"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        process = try c.decode(String.self, forKey: .process)
        let placementName = try c.decode(String.self, forKey: .placement)
        guard let placement = Placement(rawValue: placementName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .placement, in: c,
                debugDescription: "unknown placement '\(placementName)'; use one of: \(Placement.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.placement = placement
        megabytes = try c.decodeIfPresent(Int.self, forKey: .megabytes)
        property = try c.decodeIfPresent(String.self, forKey: .property)
        overheadMB = try c.decodeIfPresent(Int.self, forKey: .overheadMB) ?? 0
        isElastic = try c.decodeIfPresent(Bool.self, forKey: .isElastic) ?? false
        minimumMB = try c.decodeIfPresent(Int.self, forKey: .minimumMB) ?? 0
        guard isElastic || megabytes != nil || property != nil else {
            throw DecodingError.dataCorruptedError(forKey: .megabytes, in: c,
                                                   debugDescription: "memory '\(id)' needs megabytes, a property, or elastic: true")
        }
    }

    /// Whether the process runs on the master of a cluster with `workers` workers.
    func runsOnMaster(workers: Int) -> Bool {
        switch placement {
        case .master: true
        case .workers: workers == 0
        case .masterWithWorkers: workers > 0
        }
    }

    /// Whether the process runs on each worker.
    var runsOnWorkers: Bool { placement == .workers }

    /// `512` → 512, `512m` → 512, `2g` → 2048; `nil` for anything else.
    static func megabytes(_ text: String) -> Int? {
        if let plain = Int(text) { return plain }
        guard let unit = text.last, let number = Int(text.dropLast()) else { return nil }
        switch unit {
        case "m", "M": return number
        case "g", "G": return number * 1024
        default: return nil
        }
    }
}
