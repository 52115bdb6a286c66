public import Foundation

/// Something that happened to a cluster, in order.
public struct ClusterEvent: Sendable, Hashable, Codable {
    public var time: Date
    /// The state after the event.
    public var state: ClusterState
    public var message: String

    public init(time: Date, state: ClusterState, message: String) {
        self.time = time
        self.state = state
        self.message = message
    }
}
