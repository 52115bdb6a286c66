public import DiscoCore
import Foundation

/// Nova: flavors and limits (`/flavors/detail`, `/limits`).
public struct NovaClient: Sendable {
    static let service = "compute"
    public let session: OpenStackSession
    public init(session: OpenStackSession) { self.session = session }

    /// All flavors (`GET /flavors/detail`).
    public func flavors() async throws -> [Flavor] {
        let json = try await session.callJSON("GET", serviceType: "compute", service: Self.service, path: "/flavors/detail")
        return (json["flavors"]?.arrayValue ?? []).map {
            Flavor(id: $0["id"]?.textValue ?? "", name: $0["name"]?.stringValue ?? "", vcpus: $0["vcpus"]?.intValue ?? 0,
                   ramMB: $0["ram"]?.intValue ?? 0, diskGB: $0["disk"]?.intValue ?? 0)
        }
    }

    /// The flavor with this id or name, or `nil`.
    public func flavor(named reference: String) async throws -> Flavor? {
        let all = try await flavors()
        return all.first { $0.id == reference } ?? all.first { $0.name == reference }
    }

    /// Quota headroom from `GET /limits` (`maxTotal…` minus `total…Used`; negative limits mean unlimited).
    public func headroom() async throws -> QuotaHeadroom {
        let json = try await session.callJSON("GET", serviceType: "compute", service: Self.service, path: "/limits")
        let absolute = json["limits"]?["absolute"]
        func left(_ max: String, _ used: String) -> Int? {
            guard let limit = absolute?[max]?.intValue, limit >= 0 else { return nil }
            return Swift.max(0, limit - (absolute?[used]?.intValue ?? 0))
        }
        return QuotaHeadroom(instances: left("maxTotalInstances", "totalInstancesUsed"),
                             vcpus: left("maxTotalCores", "totalCoresUsed"),
                             ramMB: left("maxTotalRAMSize", "totalRAMUsed"),
                             floatingIPs: left("maxTotalFloatingIps", "totalFloatingIpsUsed"))
    }
}
