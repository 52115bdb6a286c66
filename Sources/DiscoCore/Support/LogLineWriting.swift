/// Takes a ``Logger``'s lines when they should not cost one system call each (DiscoRuntime's `LogWriter` batches
/// them on a thread of its own).
public protocol LogLineWriting: Sendable {
    /// Takes one line, without its newline; an `urgent` one should reach the output without waiting for a batch.
    func write(_ line: String, urgent: Bool)
}
