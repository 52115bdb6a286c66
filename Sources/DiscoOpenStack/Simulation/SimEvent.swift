import DiscoCore
import Foundation

struct SimEvent: Sendable {
    var id: String
    var time: Date
    var resourceName: String
    var physicalID: String
    var status: String
    var reason: String
    var resourceType: String
}
