import DiscoCore
import Foundation

/// How a cluster's health looks as text: the `HEALTH` column of `list`, the health lines of `show` and `check`, the
/// per-node table, and the lines `watch` prints when it changes.
enum HealthText {
    /// The `HEALTH` cell: `green`, `yellow`, `red`, or `-` before the first check.
    static func cell(_ health: ClusterHealth?) -> String {
        health?.status.rawValue ?? "-"
    }

    /// `yellow, checked 2026-12-04 00:01:02Z`, then every reason on its own line (`indent` before each).
    static func summary(_ health: ClusterHealth, console: Console, indent: String) -> [String] {
        var head = console.paint(health.status.rawValue, Style.forHealth(health.status.rawValue))
            + ", checked " + ClusterText.time(health.checkedAt)
        if let reported = health.reportedAt { head += " (reported by the master " + ClusterText.time(reported) + ")" }
        return [head] + health.reasons.map { indent + "- " + $0.message }
    }

    /// One row per node: name, address, status, the daemons not active (or why the node could not be read), free
    /// disk and available memory.
    static func nodes(_ health: ClusterHealth, console: Console) -> [String] {
        guard !health.nodes.isEmpty else { return [] }
        let rows = health.nodes.map { node -> [String] in
            let down = node.daemons.filter { $0.state != "active" }.map { "\($0.unit) (\($0.state))" }
            let daemons = node.reachable ? (down.isEmpty ? "-" : down.joined(separator: ", ")) : "unreachable"
            return [node.name, node.address.isEmpty ? "-" : node.address, node.status.rawValue, daemons,
                    node.diskFreePercent.map { "\($0)%" } ?? "-", node.memoryAvailablePercent.map { "\($0)%" } ?? "-"]
        }
        return Table([.init(title: "NODE"), .init(title: "ADDRESS"), .init(title: "HEALTH", style: Style.forHealth),
                      .init(title: "DAEMONS DOWN", isFlexible: true), .init(title: "DISK FREE", alignRight: true),
                      .init(title: "MEMORY AVAILABLE", alignRight: true)], rows: rows)
            .render(width: console.width, console: console)
    }

    /// The line `watch` prints when the health says something new (status or reasons), `nil` otherwise.
    static func change(from old: ClusterHealth?, to new: ClusterHealth?, cluster name: String) -> String? {
        guard let new, new.differs(from: old) else { return nil }
        return "\(name): health \(new.status.rawValue)" + (new.reasons.isEmpty ? "" : " — " + new.reasonText)
    }
}
