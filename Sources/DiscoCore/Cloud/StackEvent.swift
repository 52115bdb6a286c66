public import Foundation

/// One Heat event (`GET /stacks/{name}/{id}/events`).
public struct StackEvent: Sendable, Hashable, Codable {
    public var id: String
    public var resourceName: String
    /// e.g. `CREATE_COMPLETE`, or `SIGNAL_COMPLETE` for a wait condition handle signal.
    public var resourceStatus: String
    public var resourceStatusReason: String
    public var eventTime: Date

    public init(id: String, resourceName: String, resourceStatus: String, resourceStatusReason: String, eventTime: Date) {
        self.id = id
        self.resourceName = resourceName
        self.resourceStatus = resourceStatus
        self.resourceStatusReason = resourceStatusReason
        self.eventTime = eventTime
    }
}
