import DiscoCore
import Foundation

struct SimStack: Sendable {
    var id: String
    var name: String
    var projectID: String
    var owner: String
    var tags: [String]
    var template: JSONValue
    var parameters: [String: String]
    var status = "CREATE_IN_PROGRESS"
    var reason = "Stack CREATE started"
    var created: Date
    var updated: Date?
    var disableRollback: Bool
    var timeoutMinutes: Int?
    var resources: [String: SimResource] = [:]
    /// Resource names in dependency order.
    var order: [String] = []
    var events: [SimEvent] = []
    var steps: [Step] = []
    /// Signals received per wait condition (in order): id → data.
    var signals: [String: [(id: String, data: String)]] = [:]
    var usage = SimulatedCloud.Usage()
    var isPurged = false
    var addressNext: [String: Int] = [:]

    var isInProgress: Bool { status.hasSuffix("_IN_PROGRESS") }
}
