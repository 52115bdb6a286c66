import Foundation

/// Whether a project may create one more cluster: the operator's cap on its clusters and on its creates a minute,
/// and its quota headroom less what its clusters not yet counted by the cloud will use.
///
/// The cloud's headroom is read at most once a minute and counts servers that exist, so creates in quick succession
/// all saw the same headroom: each create is counted as in flight from its start and reserves what it will use once
/// planned (``reserve(_:projectID:totals:)``) until its record exists, and clusters still waiting for their stack or
/// made since the read count against the headroom too.
struct CreateAdmission: Sendable {
    let maxClusters: Int?
    let creates: RateLimiter?
    /// Creates begun whose record is not written yet, by cluster id, with what they will use once planned.
    private var inFlight: [String: (projectID: String, totals: ResourceTotals?)] = [:]

    init(maxClusters: Int?, createsPerMinute: Int?, clock: any DiscoClock) {
        self.maxClusters = maxClusters
        creates = createsPerMinute.map { RateLimiter(name: "creates", burst: $0, interval: 60 / Double($0), clock: clock) }
    }

    /// How many creates of `projectID` are begun and not yet recorded.
    func inFlightCount(of projectID: String) -> Int {
        inFlight.values.count { $0.projectID == projectID }
    }

    /// What the planned creates of `projectID` not yet recorded will use.
    func inFlightTotals(of projectID: String) -> [ResourceTotals] {
        inFlight.values.compactMap { $0.projectID == projectID ? $0.totals : nil }
    }

    /// Refuses a create when the project has ``maxClusters`` clusters (`clusters` counts those recorded and in flight).
    func checkCap(_ principal: Principal, clusters: Int) throws(ServiceError) {
        guard let maxClusters, clusters >= maxClusters else { return }
        throw .limitReached("project '\(principal.projectName)' has \(clusters) clusters, the most allowed "
                            + "([disco] max_clusters_per_project = \(maxClusters)); delete one before creating another")
    }

    /// Takes one create from the project's budget, or refuses it naming the limit and when to try again.
    func takeCreate(_ principal: Principal) throws(ServiceError) {
        guard let creates, let wait = creates.take(principal.projectID) else { return }
        throw .rateLimited("project '\(principal.projectName)' made \(Int(creates.burst)) creates within a minute, the most "
                           + "allowed ([disco] creates_per_minute = \(Int(creates.burst))); try again in \(wait) s",
                           retryAfter: wait)
    }

    /// `quota` less what `pending` will use (never below zero).
    static func headroom(_ quota: QuotaHeadroom, less pending: [ResourceTotals]) -> QuotaHeadroom {
        func left(_ value: Int?, _ used: (ResourceTotals) -> Int) -> Int? {
            value.map { max(0, $0 - pending.reduce(0) { $0 + used($1) }) }
        }
        return QuotaHeadroom(instances: left(quota.instances, \.instances), vcpus: left(quota.vcpus, \.vcpus),
                             ramMB: left(quota.ramMB, \.ramMB), floatingIPs: left(quota.floatingIPs, \.floatingIPs))
    }

    /// Whether the create of cluster `id` is begun and not yet recorded.
    func isInFlight(_ id: String) -> Bool { inFlight[id] != nil }

    mutating func reserve(_ id: String, projectID: String, totals: ResourceTotals? = nil) {
        inFlight[id] = (projectID, totals)
    }

    mutating func release(_ id: String) {
        inFlight[id] = nil
    }
}
