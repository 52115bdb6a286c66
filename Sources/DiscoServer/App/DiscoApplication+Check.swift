import DiscoCore

extension DiscoApplication {
    /// The `check` action (OCCI and REST): Heat's stack check, then a read of the cluster's health document, so the
    /// answer carries health as of now.
    func check(_ id: String, projectID: String) async throws(ServiceError) -> ClusterRecord {
        _ = try await service.perform(.check, on: id, projectID: projectID)
        await health.check(id)
        return try await service.get(id, projectID: projectID)
    }
}
