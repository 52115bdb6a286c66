public import Foundation

/// What DISCO last concluded about a ready cluster's health, from its health document (see ``HealthAssessment``).
public struct ClusterHealth: Sendable, Hashable, Codable {
    /// How usable the cluster is.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Every daemon running, every probe answering, room on every disk.
        case green
        /// Degraded but usable: a worker's daemon down or unreachable, a disk or memory running short.
        case yellow
        /// Not usable as it is: a master daemon or a readiness probe down, or the document unreadable for several checks.
        case red

        public static func < (lhs: Status, rhs: Status) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var status: Status
    /// Why it is not green, worst first.
    public var reasons: [HealthReason]
    /// When DISCO last read (or tried to read) the document.
    public var checkedAt: Date
    /// When the master's gatherer wrote the document DISCO judged.
    public var reportedAt: Date?
    public var nodes: [NodeHealth]
    /// Reads of the document that failed in a row.
    public var failedReads: Int

    public init(status: Status, reasons: [HealthReason] = [], checkedAt: Date, reportedAt: Date? = nil,
                nodes: [NodeHealth] = [], failedReads: Int = 0) {
        self.status = status
        self.reasons = reasons
        self.checkedAt = checkedAt
        self.reportedAt = reportedAt
        self.nodes = nodes
        self.failedReads = failedReads
    }

    /// The reasons in one line (`disco.health.reason`), empty when green.
    public var reasonText: String { reasons.map(\.message).joined(separator: "; ") }

    /// Whether `other` says something different to a user (status or reasons), not just a later time.
    public func differs(from other: ClusterHealth?) -> Bool {
        guard let other else { return true }
        return status != other.status || reasons != other.reasons
    }
}
