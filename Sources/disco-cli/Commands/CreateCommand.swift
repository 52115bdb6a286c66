import DiscoCore
import Foundation

/// `create`.
struct CreateCommand: Sendable, Equatable {
    var spec = SpecOptions()
    var wait = WaitOptions()
}
