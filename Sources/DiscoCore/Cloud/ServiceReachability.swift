public import Foundation
import Synchronization

/// How the cloud's services answered DISCO's own calls: for each service, whether its last answer was a working one,
/// and since when it has not been. A service that is down or misconfigured shows on `/healthz` with the failure. A refusal of a request (a 4xx: not found, over quota,
/// forbidden) is an answer; a 5xx after the retries, a time-out or a refused connection is not.
public final class ServiceReachability: Sendable {
    /// What is known of one service.
    public struct Status: Sendable, Hashable {
        /// When the first failing call since the last working answer failed; `nil` while the service answers.
        public var failingSince: Date?
        /// The last failure: kind and message.
        public var lastFailure: String?
    }

    private let state = Mutex([String: Status]())

    public init() {}

    /// `service` answered.
    public func answered(_ service: String) {
        state.withLock { $0[service] = Status() }
    }

    /// A call to `service` got no working answer.
    public func failed(_ service: String, kind: CloudError.Kind, message: String, at date: Date) {
        state.withLock { services in
            var status = services[service] ?? Status()
            if status.failingSince == nil { status.failingSince = date }
            status.lastFailure = "\(kind.rawValue): \(message)"
            services[service] = status
        }
    }

    /// Every service heard from, by name.
    public var services: [String: Status] { state.withLock { $0 } }

    /// What is wrong with the services whose last call failed, by service, for operators.
    public var problems: [String: String] {
        state.withLock { services in
            services.compactMapValues { status in
                guard let since = status.failingSince else { return nil }
                return "no working answer since \(since.formatted(.iso8601)) (\(status.lastFailure ?? "failed"))"
            }
        }
    }
}
