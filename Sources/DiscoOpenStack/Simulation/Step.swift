import DiscoCore
import Foundation

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
