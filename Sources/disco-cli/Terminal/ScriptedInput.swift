#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiscoCore
import Foundation

/// Answers given in advance, for tests; prompts and (non-secret) answers are echoed into `echo`.
final class ScriptedInput: LineReading, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]
    private let echo: OutputBuffer

    init(_ lines: [String], echo: OutputBuffer) {
        self.lines = lines
        self.echo = echo
    }

    private func next() -> String? {
        lock.withLock { lines.isEmpty ? nil : lines.removeFirst() }
    }

    func readLine(prompt: String, console: Console) -> String? {
        let line = next()
        echo.append(prompt + (line ?? "") + "\n")
        return line
    }

    func readSecret(prompt: String, console: Console) -> String? {
        let line = next()
        echo.append(prompt + "\n")
        return line
    }
}
