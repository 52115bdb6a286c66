public import Foundation

/// Judges a cluster's health document against what the cluster should run: every declared daemon of its components
/// on the nodes it belongs on, every readiness probe answering, every worker reporting, room on disks and in memory.
///
/// - A master daemon down, a readiness probe failing, a master disk all but full, a document the master stopped
///   writing, or one unreadable for ``failedReadsForRed`` checks in a row: **red**.
/// - A worker's daemon down, a worker unreachable or not reporting, a disk over 90 % full, memory over 95 % used:
///   **yellow**.
/// - Nothing of the above: **green**.
///
/// Workers are `worker<index>` for the indices `0..<workers`; a node with a higher index (left by a scale-down) is not
/// judged.
public struct HealthAssessment: Sendable {
    /// Failed reads in a row that make a cluster red.
    public static let failedReadsForRed = 3
    /// A document older than this means the master's gatherer stopped (it writes every 15 s).
    public static let staleAfterSeconds: TimeInterval = 300
    /// Below this share of free disk a node is yellow.
    public static let lowDiskPercent = 10
    /// Below this share of free disk the master is red (daemons fail to write).
    public static let fullDiskPercent = 2
    /// Below this share of available memory a node is yellow.
    public static let lowMemoryPercent = 5

    /// Workers the cluster has.
    public var workers: Int
    /// Each component's daemons, in install order.
    public var daemons: [(component: String, daemon: ComponentDaemon)]
    /// Addresses by node name for the nodes the document gives none (the public document names no address).
    public var knownAddresses: [String: String] = [:]

    public init(workers: Int, daemons: [(component: String, daemon: ComponentDaemon)]) {
        self.workers = workers
        self.daemons = daemons
    }

    /// The expectations for a cluster of `workers` workers running `components` (names in `catalog`).
    public init(workers: Int, components: [String], catalog: ComponentCatalog) {
        self.workers = workers
        self.daemons = components.flatMap { name in
            (catalog[name]?.manifest.daemons ?? []).map { (component: name, daemon: $0) }
        }
    }

    /// The health a document shows, read at `now`.
    public func assess(_ document: HealthDocument, at now: Date) -> ClusterHealth {
        var reasons: [HealthReason] = []
        var nodes: [NodeHealth] = []

        let age = now.timeIntervalSince(document.checkedAt)
        if age > Self.staleAfterSeconds {
            reasons.append(HealthReason(severity: .red, node: "master",
                                        message: "the master's health gatherer has not written for \(Int(age)) s (last at "
                                            + "\(document.checkedAt.formatted(.iso8601)))"))
        }

        let master = document.nodes.first(where: \.isMaster)
        if let master {
            nodes.append(judge(master, onMaster: true, into: &reasons))
        } else {
            reasons.append(HealthReason(severity: .red, node: "master", message: "the health document has no master"))
        }
        for index in 0..<workers {
            let name = "worker\(index)"
            guard let node = document.nodes.first(where: { !$0.isMaster && $0.index == index }) else {
                reasons.append(HealthReason(severity: .yellow, node: name,
                                            message: "\(name) has not reported to the master"))
                nodes.append(NodeHealth(name: name, role: "worker", address: "", status: .yellow, reachable: false))
                continue
            }
            nodes.append(judge(node, onMaster: false, into: &reasons))
        }

        for index in nodes.indices where nodes[index].address.isEmpty {
            nodes[index].address = knownAddresses[nodes[index].name] ?? ""
        }
        reasons.sort { $0.severity > $1.severity }
        return ClusterHealth(status: reasons.map(\.severity).max() ?? .green, reasons: reasons, checkedAt: now,
                             reportedAt: document.checkedAt, nodes: nodes)
    }

    /// The health after a failed read of the document: unchanged until ``failedReadsForRed`` reads in a row failed
    /// (yellow, saying so, when there was no earlier health), then red.
    public func unreadable(_ error: String, previous: ClusterHealth?, at now: Date) -> ClusterHealth {
        let failed = (previous?.failedReads ?? 0) + 1
        let message = "the master's health document could not be read (\(failed) check\(failed == 1 ? "" : "s") in a row): \(error)"
        if failed >= Self.failedReadsForRed {
            return ClusterHealth(status: .red, reasons: [HealthReason(severity: .red, node: "master", message: message)],
                                 checkedAt: now, reportedAt: previous?.reportedAt, nodes: previous?.nodes ?? [],
                                 failedReads: failed)
        }
        guard var health = previous else {
            return ClusterHealth(status: .yellow, reasons: [HealthReason(severity: .yellow, node: "master", message: message)],
                                 checkedAt: now, failedReads: failed)
        }
        health.checkedAt = now
        health.failedReads = failed
        return health
    }

    private func judge(_ node: HealthDocument.Node, onMaster: Bool, into reasons: inout [HealthReason]) -> NodeHealth {
        let name = onMaster ? "master" : "worker\(node.index)"
        let address = node.address.isEmpty ? knownAddresses[name] ?? "" : node.address
        let where_ = address.isEmpty ? name : "\(name) (\(address))"
        let serious: ClusterHealth.Status = onMaster ? .red : .yellow
        var found: [HealthReason] = []

        guard node.reachable else {
            found.append(HealthReason(severity: serious, node: name,
                                      message: "\(where_) is unreachable from the master: \(node.error ?? "no answer")"))
            reasons += found
            return NodeHealth(name: name, role: node.role, address: node.address, status: serious, reachable: false,
                              checkedAt: node.checkedAt)
        }

        var daemons: [DaemonHealth] = []
        for (component, daemon) in self.daemons where daemon.runs(onMaster: onMaster, workers: workers) {
            let seen = node.daemons.first { $0.unit == daemon.unit }
            let state = seen?.state ?? "missing"
            daemons.append(DaemonHealth(component: component, unit: daemon.unit, state: state))
            guard state != "active" else { continue }
            let detail = seen?.subState.map { "\(state) (\($0))" } ?? state
            found.append(HealthReason(severity: serious, component: component, daemon: daemon.unit, node: name,
                                      message: "\(component): \(daemon.unit) is \(detail) on \(where_)"))
        }
        // Daemons the node reports beyond the declared ones (a component's optional service) count as well.
        for seen in node.daemons where !daemons.contains(where: { $0.unit == seen.unit }) {
            daemons.append(DaemonHealth(component: seen.component, unit: seen.unit, state: seen.state))
            guard !seen.isActive else { continue }
            let detail = seen.subState.map { "\(seen.state) (\($0))" } ?? seen.state
            found.append(HealthReason(severity: serious, component: seen.component, daemon: seen.unit, node: name,
                                      message: "\(seen.component): \(seen.unit) is \(detail) on \(where_)"))
        }
        for probe in node.probes where !probe.ok {
            found.append(HealthReason(severity: serious, component: probe.component, node: name,
                                      message: "\(probe.component): \(probe.target) is not answering on \(where_)"
                                          + (probe.error.map { ": \($0)" } ?? "")))
        }

        var diskPercent: Int?
        if let disk = node.disk, disk.totalBytes > 0 {
            let percent = Int(disk.freeBytes * 100 / disk.totalBytes)
            diskPercent = percent
            if percent < Self.lowDiskPercent {
                let severity: ClusterHealth.Status = onMaster && percent < Self.fullDiskPercent ? .red : .yellow
                found.append(HealthReason(severity: severity, node: name,
                                          message: "disk \(disk.path) on \(where_) is \(100 - percent) % full "
                                              + "(\(disk.freeBytes >> 20) MiB free)"))
            }
        }
        var memoryPercent: Int?
        if let memory = node.memory, memory.totalBytes > 0 {
            let percent = Int(memory.availableBytes * 100 / memory.totalBytes)
            memoryPercent = percent
            if percent < Self.lowMemoryPercent {
                found.append(HealthReason(severity: .yellow, node: name,
                                          message: "memory on \(where_) is \(100 - percent) % used "
                                              + "(\(memory.availableBytes >> 20) MiB available)"))
            }
        }
        reasons += found
        return NodeHealth(name: name, role: node.role, address: node.address,
                          status: found.map(\.severity).max() ?? .green, reachable: true, checkedAt: node.checkedAt,
                          daemons: daemons, diskFreePercent: diskPercent, diskFreeBytes: node.disk?.freeBytes,
                          memoryAvailablePercent: memoryPercent)
    }
}
