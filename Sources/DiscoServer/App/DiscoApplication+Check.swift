import DiscoCore

extension DiscoApplication {
    /// The `check` action (OCCI and REST): Heat's stack check, then a read of the cluster's health document, so the
    /// answer carries health as of now.
    func check(_ id: String, projectID: String) async throws(ServiceError) -> ClusterRecord {
        do {
            _ = try await service.perform(.check, on: id, projectID: projectID)
        } catch .cloud(let error) where error.kind == .conflict {
            // Heat still runs the last check (a ready cluster runs no other stack action): the health read answers.
        }
        await health.check(id)
        return try await service.get(id, projectID: projectID)
    }
}
