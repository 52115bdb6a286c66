import DiscoCore
import Foundation

/// A cluster as the REST API shows it: no secrets.
struct ClusterView: Encodable {
    struct ComponentView: Encodable {
        var name: String
        var version: String
        var reason: String
        var state: String
        var detail: String
        var properties: [String: String]
    }

    struct Link: Encodable {
        var component: String
        var name: String
        var url: String?
        var port: Int
        var isPublic: Bool
    }

    var id: String
    var name: String
    var state: String
    var stateReason: String
    var progress: Int
    var workers: Int
    var desiredWorkers: Int?
    var master: NodeSpec
    var worker: NodeSpec
    var network: String
    var externalNetwork: String
    var components: [ComponentView]
    var externalIP: String?
    var masterAddress: String?
    var sshKeyName: String?
    var sshPublicKey: String?
    var statusPage: String?
    var ui: [Link]
    var stackName: String
    var stackID: String?
    var stackStatus: String
    var stackStatusReason: String
    var totals: ResourceTotals
    var tags: [String]
    var createdAt: Date
    var updatedAt: Date
    var expiresAt: Date?
    var lastEvent: String?

    init(_ r: ClusterRecord) {
        id = r.id
        name = r.spec.name
        state = r.state.rawValue
        stateReason = r.stateReason
        progress = r.progressPercent
        workers = r.spec.workers
        desiredWorkers = r.desiredWorkers
        master = r.spec.master
        worker = r.spec.worker
        network = r.spec.networkName
        externalNetwork = r.spec.externalNetwork
        components = r.components.map { c in
            let progress = r.progress[c.name] ?? ComponentProgress(state: .pending)
            return ComponentView(name: c.name, version: c.version, reason: c.reason.description, state: progress.state.rawValue,
                                 detail: progress.detail, properties: c.properties)
        }
        externalIP = r.outputs["external_ip"]
        masterAddress = r.outputs["master_address"]
        sshKeyName = r.outputs["ssh_key_name"]
        sshPublicKey = r.outputs["ssh_public_key"]
        statusPage = r.outputs["status_page"]
        ui = r.uiLinks.map { Link(component: $0.component, name: $0.name, url: r.outputs[$0.outputKey], port: $0.port, isPublic: $0.isPublic) }
        stackName = r.stackName
        stackID = r.stackID
        stackStatus = r.stackStatus
        stackStatusReason = r.stackStatusReason
        totals = r.totals
        tags = r.spec.tags
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        expiresAt = r.expiresAt
        lastEvent = r.events.last?.message
    }
}

/// A catalog component as the REST API shows it.
struct ComponentView: Encodable {
    var name: String
    var version: String
    var summary: String
    var requires: [String]
    var conflicts: [String]
    var implicit: Bool
    var properties: [String: PropertyDefinition]
    var ports: [PortDefinition]
    var ui: [UILink]

    init(_ manifest: ComponentManifest) {
        name = manifest.name
        version = manifest.version
        summary = manifest.summary
        requires = manifest.requires
        conflicts = manifest.conflicts
        implicit = manifest.isImplicit
        properties = manifest.properties
        ports = manifest.ports
        ui = manifest.ui
    }
}

/// Encoded ``ClusterView`` JSON per cluster, reused while the record is unchanged: encoding is most of the cost of
/// `GET /api/v1/clusters/{id}`, and a listing of 10,000 clusters is the cached objects joined.
final class ClusterJSONCache: @unchecked Sendable {
    static let shared = ClusterJSONCache()
    private let lock = NSLock()
    private var entries: [String: (record: ClusterRecord, json: Data)] = [:]
    private let maxEntries = 12_000

    /// The same bytes as `JSONResponse.encoder.encode(ClusterView(record))`.
    func json(for record: ClusterRecord) -> Data {
        if let hit = lock.withLock({ entries[record.id] }), hit.record == record { return hit.json }
        let json = (try? JSONResponse.encoder.encode(ClusterView(record))) ?? Data("{}".utf8)
        lock.withLock {
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[record.id] = (record, json)
        }
        return json
    }

    /// `{"clusters":[…]}`, as `JSONResponse.make` would encode `["clusters": records.map(ClusterView.init)]`.
    func listing(_ records: [ClusterRecord]) -> Data {
        var body = Data(#"{"clusters":["#.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(json(for: record))
        }
        body.append(contentsOf: Array("]}".utf8))
        return body
    }

    static func response(_ status: Int, _ body: Data, headers: HTTPHeaders = [:]) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: status, headers: headers, body: body)
        response.headers.set("Content-Type", "application/json")
        return response
    }
}
