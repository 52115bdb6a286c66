import DiscoCore
import DiscoOpenStack
import Foundation

/// A failure already explained to the user, with its exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var hint: String? = nil
    var description: String { message }
}
