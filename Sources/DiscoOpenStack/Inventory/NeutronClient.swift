public import DiscoCore
import Foundation

/// Neutron: networks and the floating IP quota.
public struct NeutronClient: Sendable {
    static let service = "network"
    public let session: OpenStackSession
    public init(session: OpenStackSession) { self.session = session }

    private func path(_ rest: String) async throws -> String {
        let base = try await session.endpoint("network", service: Self.service)
        return base.path.hasSuffix("/v2.0") ? rest : "/v2.0" + rest
    }

    /// Networks (`GET /v2.0/networks`, `?router:external=true` when `externalOnly`).
    public func networks(externalOnly: Bool = false) async throws -> [Network] {
        let query = externalOnly ? "?router%3Aexternal=true" : ""
        let json = try await session.callJSON("GET", serviceType: "network", service: Self.service,
                                              path: try await path("/networks\(query)"))
        return (json["networks"]?.arrayValue ?? []).map {
            Network(id: $0["id"]?.stringValue ?? "", name: $0["name"]?.stringValue ?? "",
                    isExternal: $0["router:external"]?.boolValue ?? false)
        }
    }

    /// Floating IPs still allowed (`GET /v2.0/quotas/{project_id}/details`); `nil` when unlimited or unknown.
    public func floatingIPHeadroom(projectID: String) async throws -> Int? {
        let json = try await session.callJSON("GET", serviceType: "network", service: Self.service,
                                              path: try await path("/quotas/\(escape(projectID))/details"))
        guard let floating = json["quota"]?["floatingip"], let limit = floating["limit"]?.intValue, limit >= 0 else { return nil }
        return max(0, limit - (floating["used"]?.intValue ?? 0) - (floating["reserved"]?.intValue ?? 0))
    }
}
