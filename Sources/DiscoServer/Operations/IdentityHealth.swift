import DiscoCore
import Foundation

/// Whether the identity service (`[service_manager] design_uri`) answers as Keystone: probed at start, every
/// ``interval``, and again when a sign-in or token check fails, so a wrong URL or a Keystone that is down is named
/// as such instead of as a user's wrong password or token.
final class IdentityHealth: @unchecked Sendable {
    /// What operators are told to check when the identity service does not answer as Keystone.
    static let hint = "check [service_manager] design_uri"

    let provider: any CloudProvider
    let logger: Logger
    /// Seconds between background probes.
    let interval: Double
    /// A failed sign-in or token check re-probes when the last probe is older than this.
    let maxAge: Double
    private let lock = NSLock()
    private var problem: String?
    private var checkedAt: ContinuousClock.Instant?
    private var probing: Task<Void, Never>?

    init(provider: any CloudProvider, logger: Logger, interval: Double = 30, maxAge: Double = 5) {
        self.provider = provider
        self.logger = logger
        self.interval = interval
        self.maxAge = maxAge
    }

    /// The last probe's finding: `nil` when Keystone answered (or nothing was probed yet).
    var lastProblem: String? { lock.withLock { problem } }

    /// Probes now; logs when the finding changes. Returns the problem, if any.
    @discardableResult
    func probe() async -> String? {
        let found = await provider.probeIdentity()
        let (probedBefore, previous) = lock.withLock {
            defer { problem = found; checkedAt = .now }
            return (checkedAt != nil, problem)
        }
        if let found, !probedBefore || previous != found {
            logger.error("identity service \(found); \(Self.hint)", ["design_uri": provider.identityURI])
        } else if found == nil, let previous {
            logger.log(.notice, "identity service answers again", ["design_uri": provider.identityURI, "was": previous])
        }
        return found
    }

    /// The problem, probing first when the last probe is older than ``maxAge`` (for failed sign-ins and token checks).
    func currentProblem() async -> String? {
        let fresh = lock.withLock { checkedAt.map { ContinuousClock.now - $0 < .seconds(maxAge) } ?? false }
        return fresh ? lastProblem : await probe()
    }

    /// The 503 a user gets when the identity service is at fault.
    func error(_ problem: String) -> APIError {
        APIError(status: 503, message: "the identity service \(problem); the operator should \(Self.hint)",
                 headers: ["Retry-After": "30"])
    }

    /// Probes every ``interval`` (the first after one interval) until ``stop()``.
    func startProbing() {
        let task = Task { [interval, weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard let self else { return }
                await self.probe()
            }
        }
        lock.withLock { probing = task }
    }

    func stop() {
        lock.withLock { probing }?.cancel()
    }
}
