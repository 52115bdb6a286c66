import DiscoCore
import Foundation

/// A parsed command line.
struct Invocation: Sendable, Equatable {
    var global = GlobalOptions()
    var command: Command
}
