import Foundation

/// `GET /api/v1/clusters`: one page, oldest first.
public struct ClusterListView: Codable, Sendable {
    public var clusters: [ClusterView]
    /// The next page's path and query, when there are more clusters.
    public var next: String?
    public init(clusters: [ClusterView], next: String? = nil) {
        self.clusters = clusters
        self.next = next
    }
}
