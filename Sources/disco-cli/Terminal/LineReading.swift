#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiscoCore
import Foundation

/// A source of answers: the terminal, or a script in tests.
protocol LineReading: Sendable {
    /// Shows `prompt` and reads one line; `nil` at end of input.
    func readLine(prompt: String, console: Console) -> String?
    /// Shows `prompt` and reads one line without echoing it; `nil` at end of input.
    func readSecret(prompt: String, console: Console) -> String?
}
