import DiscoCore
import Foundation

/// How to follow a cluster until it settles.
struct WaitOptions: Sendable, Equatable {
    var wait = false
    /// Seconds between polls.
    var interval: Double = 1
    /// Seconds before giving up.
    var timeout: Double = 3600
    /// `watch --health`: keep following a cluster that has settled, for its health changes, until the timeout.
    var health = false
}
