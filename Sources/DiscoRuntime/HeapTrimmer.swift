import Dispatch
import Synchronization

#if os(Linux)
import CDiscoSystem
#endif

/// Gives freed heap memory back to the system after large, short-lived allocations.
///
/// glibc keeps what its arenas freed: after a burst of large listing bodies on several threads, or after decoding a
/// large store, the process holds free heap it will not return on its own (Benchmarks/README.md). ``trimSoon()`` after
/// such work coalesces into one `malloc_trim` per ``delay`` on a background queue, off the caller's thread.
package final class HeapTrimmer: Sendable {
    /// The process-wide trimmer (`malloc_trim(0)` on Linux, nothing elsewhere).
    package static let shared = HeapTrimmer(delay: .milliseconds(250)) {
        #if os(Linux)
        _ = disco_malloc_trim(0)
        #endif
    }

    /// How long a request waits, gathering others, before the one trim runs.
    package let delay: Duration
    private let trim: @Sendable () -> Void
    private let scheduled = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "disco.heap-trim", qos: .utility)

    /// - Parameters:
    ///   - delay: the gathering window; every request inside it is served by one trim at its end.
    ///   - trim: what a trim does (tests count calls).
    package init(delay: Duration, trim: @escaping @Sendable () -> Void) {
        self.delay = delay
        self.trim = trim
    }

    /// Trims now, on the calling thread.
    package func trimNow() { trim() }

    /// Schedules a trim after ``delay`` unless one is already scheduled; returns at once.
    package func trimSoon() {
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            // Cleared first: memory freed while the trim runs asks for, and gets, the next one.
            scheduled.store(false, ordering: .releasing)
            trim()
        }
    }
}
