public import DiscoCore
import Foundation

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
