/// A long-running service of a component (a systemd unit its script makes with `disco_service`), as
/// `component.json` declares it, and the nodes it runs on.
///
/// ```json
/// { "unit": "hadoop-namenode", "placement": "master" }
/// { "unit": "hadoop-datanode", "placement": "workers" }
/// ```
///
/// The health monitor expects each declared daemon on its nodes; the catalog tests check that the declarations and
/// the scripts' `disco_service` calls name the same units.
public struct ComponentDaemon: Sendable, Hashable, Codable {
    /// Where the daemon runs.
    public enum Placement: String, Sendable, Hashable, Codable, CaseIterable {
        /// On the master.
        case master
        /// On every worker, or on the master when there are no workers.
        case workers
        /// On every node.
        case everyNode
    }

    /// The systemd unit's name without `.service`.
    public var unit: String
    public var placement: Placement

    public init(unit: String, placement: Placement) {
        self.unit = unit
        self.placement = placement
    }

    /// Whether the daemon runs on the master (`onMaster`) or on a worker, in a cluster of `workers` workers.
    public func runs(onMaster: Bool, workers: Int) -> Bool {
        switch placement {
        case .master: onMaster
        case .workers: !onMaster || workers == 0
        case .everyNode: true
        }
    }
}
