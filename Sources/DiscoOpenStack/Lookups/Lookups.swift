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

/// Glance v2: images.
public struct GlanceClient: Sendable {
    static let service = "image"
    public let session: OpenStackSession
    public init(session: OpenStackSession) { self.session = session }

    /// Images (`GET /v2/images`, following `next` links), optionally by exact name.
    public func images(named name: String? = nil) async throws -> [Image] {
        let base = try await session.endpoint("image", service: Self.service)
        let prefix = base.path.hasSuffix("/v2") ? "" : "/v2"
        var path: String? = prefix + "/images?limit=200" + (name.map { "&name=\(escape($0))" } ?? "")
        var result: [Image] = []
        var pages = 0
        while let current = path, pages < 50 {
            pages += 1
            let json = try await session.callJSON("GET", serviceType: "image", service: Self.service, path: current)
            result += (json["images"]?.arrayValue ?? []).map {
                Image(id: $0["id"]?.stringValue ?? "", name: $0["name"]?.stringValue ?? "",
                      status: $0["status"]?.stringValue ?? "active")
            }
            // `next` is e.g. "/v2/images?marker=…"; it is relative to the endpoint root.
            if let next = json["next"]?.stringValue {
                path = base.path.hasSuffix("/v2") && next.hasPrefix("/v2") ? String(next.dropFirst(3)) : next
            } else { path = nil }
        }
        return result
    }
}

/// "Did you mean" help for unknown names.
public enum NameSuggestions {
    /// Up to `limit` candidates closest to `name` by edit distance (case-insensitive), nearest first;
    /// only those within a third of the name's length (at least 2 edits) or sharing a prefix/containment.
    public static func suggest(_ name: String, from candidates: [String], limit: Int = 3) -> [String] {
        let lower = name.lowercased()
        let scored = Set(candidates).map { candidate -> (String, Int) in
            let other = candidate.lowercased()
            var distance = editDistance(lower, other)
            if other.contains(lower) || lower.contains(other) { distance = min(distance, 1) }
            return (candidate, distance)
        }
        let threshold = max(2, lower.count / 3)
        return scored.filter { $0.1 <= threshold && $0.0 != name }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// A sentence such as `unknown flavor 'm1.lage'; did you mean 'm1.large'?`.
    public static func message(kind: String, name: String, candidates: [String]) -> String {
        let suggestions = suggest(name, from: candidates)
        if suggestions.isEmpty { return "unknown \(kind) '\(name)'" }
        return "unknown \(kind) '\(name)'; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
