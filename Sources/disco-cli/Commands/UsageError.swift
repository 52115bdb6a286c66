import DiscoCore
import Foundation

/// A command line that cannot be understood: reported with the command's usage and exit status 64.
struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// The command whose help to point to; `nil` for the top level.
    var command: String?

    init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    var description: String { message }
}
