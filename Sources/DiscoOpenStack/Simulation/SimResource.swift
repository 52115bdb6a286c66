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
