#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// SGR styles.
enum Style: String, Sendable {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case cyan = "36"

    /// The colour of a cluster or component state.
    static func forState(_ state: String) -> Style? {
        switch state {
        case "ready": .green
        case "failed": .red
        case "deleted": .dim
        case "suspended": .blue
        case "pending": .dim
        default: .yellow
        }
    }

    /// The colour of a health status (`green`, `yellow`, `red`); none for `-` (not checked).
    static func forHealth(_ status: String) -> Style? {
        switch status {
        case "green": .green
        case "yellow": .yellow
        case "red": .red
        default: nil
        }
    }
}
