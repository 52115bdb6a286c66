import DiscoCore

extension DiscoApplication {
    /// The `check` action (OCCI and REST): reads the cluster's health document now, so the answer carries health as
    /// of now. Heat's own stack check is not run: it holds the stack in `CHECK_IN_PROGRESS`, and a scale or suspend
    /// sent meanwhile would be refused by Heat.
    func check(_ id: String, projectID: String) async throws(ServiceError) -> ClusterRecord {
        let record = try await service.get(id, projectID: projectID)
        guard record.state == .ready else {
            throw .conflict("cluster \(id) is \(record.state.rawValue); check needs a ready cluster")
        }
        guard await health.check(id) != nil else {
            throw .conflict(record.isDeleteRequested
                ? "cluster \(id) is being deleted; check needs a ready cluster"
                : "cluster \(id) is ready but its master has no external address yet; check reads the health document"
                    + " from that address")
        }
        return try await service.get(id, projectID: projectID)
    }
}
