import DiscoCore
import Foundation

/// A Heat error to answer with.
struct HeatFailure: Error {
    var status: Int
    var type: String
    var message: String
}
