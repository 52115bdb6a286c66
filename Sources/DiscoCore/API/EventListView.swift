import Foundation

/// `GET /api/v1/clusters/{id}/events`.
public struct EventListView: Codable, Sendable {
    public var events: [ClusterEvent]
    /// The create's steps, seconds after the request (see ``ClusterView/timeline``).
    public var timeline: [ClusterView.Phase]?
    public init(events: [ClusterEvent], timeline: [PhaseMark]? = nil) {
        self.events = events
        self.timeline = timeline?.map(ClusterView.Phase.init)
    }
}
