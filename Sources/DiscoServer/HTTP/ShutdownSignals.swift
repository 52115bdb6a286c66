import Dispatch
import Foundation
import Glibc

/// Turns SIGTERM/SIGINT into a graceful stop, using `DispatchSource` signal sources.
///
/// The default disposition of each signal is set to `SIG_IGN` so only the source sees it.
/// The first signal runs `action`; a second one while it is still running exits at once
/// with `128 + signal` (so a stuck drain can be interrupted by pressing Ctrl-C again).
/// Keep the returned value alive for as long as the handling should stay installed.
///
/// ```swift
/// let signals = server.stopOnSignals()
/// await server.run()
/// ```
final class ShutdownSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var fired = false

    /// Installs handlers for `signals` that call `action` once.
    init(
        signals: [Int32] = [SIGTERM, SIGINT],
        queue: DispatchQueue = DispatchQueue(label: "disco.signals"),
        exitOnRepeat: Bool = true,
        action: @escaping @Sendable (Int32) async -> Void
    ) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let repeated = self.fired
                self.fired = true
                self.lock.unlock()
                if repeated {
                    if exitOnRepeat { exit(128 + sig) }
                    return
                }
                Task { await action(sig) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a signal has been received.
    var hasFired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return fired
    }

    /// Removes the handlers (the signals stay ignored).
    func cancel() {
        lock.lock()
        let s = sources
        sources.removeAll()
        lock.unlock()
        for source in s { source.cancel() }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}

extension HTTPServer {
    /// Stops this server gracefully on SIGTERM or SIGINT; see ``ShutdownSignals``. `draining` is called as the drain
    /// starts.
    func stopOnSignals(
        _ signals: [Int32] = [SIGTERM, SIGINT],
        logger: @escaping @Sendable (String) -> Void = { _ in },
        draining: @escaping @Sendable () -> Void = {}
    ) -> ShutdownSignals {
        ShutdownSignals(signals: signals) { [self] sig in
            logger("received signal \(sig); draining")
            draining()
            await self.stop()
        }
    }
}
