public import Foundation

/// A cluster as the REST API shows it (no secrets): encoded by `disco-sm`, decoded by `disco-cli` and the dashboard.
public struct ClusterView: Codable, Sendable, Equatable {
    public struct ComponentState: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var reason: String
        public var state: String
        public var detail: String
        public var properties: [String: String]
    }

    public struct Link: Codable, Sendable, Equatable {
        public var component: String
        public var name: String
        public var url: String?
        public var port: Int
        public var isPublic: Bool
    }

    /// When a step of the create was reached, seconds after the request.
    public struct Phase: Codable, Sendable, Equatable {
        /// A ``CreatePhase`` raw value.
        public var phase: String
        public var component: String?
        public var seconds: Double

        public init(_ mark: PhaseMark) {
            phase = mark.phase.rawValue
            component = mark.component
            seconds = mark.seconds
        }
    }

    public var id: String
    public var name: String
    public var state: String
    public var stateReason: String
    public var progress: Int
    public var workers: Int
    public var desiredWorkers: Int?
    public var master: NodeSpec
    public var worker: NodeSpec
    public var network: String
    public var externalNetwork: String
    public var components: [ComponentState]
    public var externalIP: String?
    public var masterAddress: String?
    public var sshKeyName: String?
    /// The master's SSH login user, when its image's name tells (see ``NodeSpec/loginUser``).
    public var loginUser: String?
    public var sshPublicKey: String?
    public var statusPage: String?
    public var ui: [Link]
    public var stackName: String
    public var stackID: String?
    public var stackStatus: String
    public var stackStatusReason: String
    public var totals: ResourceTotals
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date
    public var expiresAt: Date?
    public var lastEvent: String?
    /// The health monitor's last judgement of a ready cluster (none before its first check or in other states).
    public var health: ClusterHealth?
    /// The create's steps, in order (absent for clusters created before they were kept).
    public var timeline: [Phase]?

    public init(_ r: ClusterRecord) {
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
            return ComponentState(name: c.name, version: c.version, reason: c.reason.description, state: progress.state.rawValue,
                                 detail: progress.detail, properties: c.properties)
        }
        externalIP = r.outputs["external_ip"]
        masterAddress = r.outputs["master_address"]
        sshKeyName = r.outputs["ssh_key_name"]
        loginUser = r.spec.master.loginUser
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
        health = r.health
        timeline = r.timeline?.map(Phase.init)
    }

    /// Whether DISCO still has work to do on the cluster (the states a watch waits through).
    public var isSettling: Bool { ClusterState(rawValue: state)?.isActive ?? false }
}
