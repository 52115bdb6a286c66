import DiscoCore
import Foundation

struct SimResource: Sendable {
    var name: String
    var type: String
    var physicalID: String
    var status = "INIT_COMPLETE"
    var statusReason = ""
    /// Reached `CREATE_COMPLETE` once (its attributes resolve from then on).
    var isCreated = false
    var attributes: [String: JSONValue] = [:]
    var properties: JSONValue = .object([:])
    var metadata: JSONValue = .null
    var dependsOn: Set<String> = []
    /// Members of an `OS::Heat::ResourceGroup`, by index.
    var members: [SimResource] = []
    /// Usage this resource takes (servers, floating IPs).
    var usage = SimulatedCloud.Usage()
}

struct SimEvent: Sendable {
    var id: String
    var time: Date
    var resourceName: String
    var physicalID: String
    var status: String
    var reason: String
    var resourceType: String
}

enum StepKind: Sendable {
    case resource(String, member: Int?, status: String, reason: String)
    case stack(status: String, reason: String)
    case signal(handle: String, waitCondition: String, id: String, data: String, reason: String)
    case addMember(String, SimResource)
    case removeMember(String, index: Int)
    case purge
}

struct Step: Sendable {
    var due: Date
    var order: Int
    var kind: StepKind
}

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

/// A Heat error to answer with.
struct HeatFailure: Error {
    var status: Int
    var type: String
    var message: String
}
