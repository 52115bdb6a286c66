import DiscoCore
import Foundation

/// A cluster as `GET /api/v1/clusters/{id}` shows it (fields the CLI displays; unknown ones are ignored).
struct ClusterInfo: Decodable, Sendable, Equatable {
    struct Component: Decodable, Sendable, Equatable {
        var name: String
        var version: String
        var reason: String
        var state: String
        var detail: String?
    }

    struct Link: Decodable, Sendable, Equatable {
        var component: String
        var name: String
        var url: String?
        var port: Int
        var isPublic: Bool
    }

    var id: String
    var name: String
    var state: String
    var stateReason: String
    var progress: Int
    var workers: Int
    var desiredWorkers: Int?
    var master: NodeSpec?
    var worker: NodeSpec?
    var network: String?
    var externalNetwork: String?
    var components: [Component]
    var externalIP: String?
    var masterAddress: String?
    var statusPage: String?
    var ui: [Link]
    var stackName: String?
    var stackStatus: String?
    var totals: ResourceTotals?
    var tags: [String]?
    var createdAt: Date
    var updatedAt: Date?
    var expiresAt: Date?
    var lastEvent: String?

    /// Whether the server still has work to do (the states a watch waits through).
    var isSettling: Bool {
        ["accepted", "provisioning", "installing", "scaling", "suspending", "resuming", "deleting"].contains(state)
    }
}

struct ClusterList: Decodable, Sendable {
    var clusters: [ClusterInfo]
}

struct ClusterEventInfo: Decodable, Sendable, Equatable {
    var time: Date
    var state: String
    var message: String
}

/// `POST /api/v1/tokens`.
struct IssuedToken: Decodable, Sendable {
    var token: String
    var expiresAt: Date
    var project: String
    var projectID: String
    var user: String
}

/// `POST /api/v1/plan` — and the CLI's offline plan, which has the same shape.
struct PlanResponse: Codable, Sendable {
    var plan: PlanSummary
    var template: String
    var format: String
}
