import DiscoOpenStack
import Foundation

/// `simulate-cloud --control`: routes under `/_simulator/` that inject faults into the served cloud and report what it
/// keeps, so a harness in another process (`Benchmarks/churn.sh`, the dashboard's browser test) can do what the
/// in-process soak does.
///
/// - `GET /_simulator/state` → `{"stacks": [names], "tokens": n, "credentials": n, "credentialNames": [names],
///   "keptStacks": n, "requests": n, "requestsAnswered": n, "requestsAnsweredByService": {"identity": n, …}}`
///   (`requests`: the recent requests kept; `requestsAnswered`: all since the start, also by service)
/// - `POST /_simulator/faults` with `{"fault": kind, …}` → 204, where kind is one of ``Fault``.
enum SimulatorControl {
    static let prefix = "/_simulator/"

    /// What `POST /_simulator/faults` accepts.
    enum Fault: String, CaseIterable {
        /// `service` (default orchestration) answers `status` (default 503, 500–599) to its next `count` (1–1000) requests.
        case unavailable
        /// The next stack with a resource named `resource` (default master) fails it with `reason`.
        case resourceFailure = "resource-failure"
        /// Deletes of the stack named `stack` end in DELETE_FAILED with `reason` until cleared.
        case deleteFailure = "delete-failure"
        /// Stuck deletes succeed again.
        case clearDeleteFailures = "clear-delete-failures"
        /// Every token issued so far expires.
        case expireTokens = "expire-tokens"
        /// Every answer of `service` (all when absent) waits `seconds` (0–60; 0 turns it off).
        case slow
        /// The daemon `unit` on `node` (`master` or `worker<index>`) of the stack named `stack` is `failed` in its
        /// health document.
        case daemonStopped = "daemon-stopped"
        /// A daemon stopped by `daemon-stopped` runs again.
        case daemonStarted = "daemon-started"
        /// `node` of the stack named `stack` does not answer its master (the master: the health document does not
        /// answer); `"unreachable": false` connects it again.
        case nodeUnreachable = "node-unreachable"
    }

    /// The answer for a request under ``prefix``.
    static func handle(_ request: HTTPServerRequest, simulator: SimulatedCloud) -> HTTPServerResponse {
        switch (request.method, request.path) {
        case ("GET", prefix + "state"):
            let kept = simulator.bookkeeping
            let state = JSONValue.object([
                "stacks": .array(simulator.stackNames.map(JSONValue.string)), "tokens": .int(kept.tokens),
                "credentials": .int(kept.credentials),
                "credentialNames": .array(simulator.applicationCredentialNames.map(JSONValue.string)),
                "keptStacks": .int(kept.stacks), "requests": .int(kept.requests),
                "requestsAnswered": .int(simulator.requestsAnswered),
                "requestsAnsweredByService": .object(Dictionary(uniqueKeysWithValues: simulator.requestsAnsweredByService.map {
                    ($0.key.rawValue, JSONValue.int($0.value))
                })),
            ])
            return .json(200, state.description)
        case ("POST", prefix + "faults"):
            do {
                try inject(request.body, into: simulator)
                return .status(204)
            } catch {
                return .text(400, "\(error.message)\n")
            }
        case (_, prefix + "state"), (_, prefix + "faults"):
            let allowed = request.path.hasSuffix("state") ? "GET" : "POST"
            return .text(405, "\(request.method) is not allowed on \(request.path): use \(allowed)\n", headers: ["Allow": allowed])
        default:
            return .text(404, "no control route \(request.path): use GET \(prefix)state or POST \(prefix)faults\n")
        }
    }

    struct ControlError: Error { let message: String }

    /// Applies one fault described by a JSON object.
    static func inject(_ body: Data, into simulator: SimulatedCloud) throws(ControlError) {
        guard case .object(let object)? = try? JSONValue.parse(body) else {
            throw ControlError(message: #"the body must be a JSON object such as {"fault": "expire-tokens"}"#)
        }
        let kinds = Fault.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let name)? = object["fault"] else { throw ControlError(message: "fault: missing or not a string; use one of \(kinds)") }
        guard let fault = Fault(rawValue: name) else { throw ControlError(message: "fault: '\(name)' is not a fault; use one of \(kinds)") }

        func service(default fallback: SimulatedCloud.Service?) throws(ControlError) -> SimulatedCloud.Service? {
            guard let value = object["service"] else { return fallback }
            guard case .string(let text) = value, let service = SimulatedCloud.Service(rawValue: text) else {
                let names = SimulatedCloud.Service.allCases.map(\.rawValue).joined(separator: ", ")
                throw ControlError(message: "service: \(value) is not a service; use one of \(names)")
            }
            return service
        }
        func number(_ key: String, default fallback: Double, in range: ClosedRange<Double>, whole: Bool) throws(ControlError) -> Double {
            let number: Double, bounds = "\(Int(range.lowerBound))…\(Int(range.upperBound))"
            switch object[key] {
            case nil: return fallback
            case .int(let value)?: number = Double(value)
            case .double(let value)? where !whole: number = value
            case let value?: throw ControlError(message: "\(key): \(value) is not a \(whole ? "whole number" : "number") in \(bounds)")
            }
            guard range.contains(number) else { throw ControlError(message: "\(key): \(object[key]!) is not in \(bounds)") }
            return number
        }
        func text(_ key: String, default fallback: String?) throws(ControlError) -> String {
            switch object[key] {
            case nil:
                guard let fallback else { throw ControlError(message: "\(key): missing for fault '\(name)'") }
                return fallback
            case .string(let string)? where !string.isEmpty: return string
            case let value?: throw ControlError(message: "\(key): \(value) is not a non-empty string")
            }
        }

        switch fault {
        case .unavailable:
            let target = try service(default: .orchestration)!
            simulator.failNextRequests(to: target, count: Int(try number("count", default: 1, in: 1...1000, whole: true)),
                                       status: Int(try number("status", default: 503, in: 500...599, whole: true)))
        case .resourceFailure:
            simulator.failResource(named: try text("resource", default: "master"),
                                   reason: try text("reason", default: "No valid host was found (injected)"))
        case .deleteFailure:
            let stack = try text("stack", default: nil)
            if object["reason"] == nil {
                simulator.failDeletes(ofStack: stack)
            } else {
                simulator.failDeletes(ofStack: stack, reason: try text("reason", default: nil))
            }
        case .clearDeleteFailures:
            simulator.clearDeleteFailures()
        case .expireTokens:
            simulator.expireAllTokens()
        case .slow:
            let seconds = try number("seconds", default: 0, in: 0...60, whole: false)
            simulator.delayResponses(of: try service(default: nil), seconds: seconds)
        case .daemonStopped, .daemonStarted, .nodeUnreachable:
            let stack = try text("stack", default: nil)
            guard simulator.stackNames.contains(stack) else {
                throw ControlError(message: "stack: '\(stack.prefix(100))' is not a stack of the simulated cloud; see GET \(prefix)state")
            }
            let node = try text("node", default: nil)
            guard node == "master" || (node.hasPrefix("worker") && node.count > 6 && node.dropFirst(6).allSatisfy { ("0"..."9").contains($0) }) else {
                throw ControlError(message: "node: '\(node.prefix(100))' is not a node; use master or worker<index> (worker0, worker1, …)")
            }
            switch fault {
            case .daemonStopped: simulator.stopDaemon(try text("unit", default: nil), on: node, ofStack: stack)
            case .daemonStarted: simulator.startDaemon(try text("unit", default: nil), on: node, ofStack: stack)
            default:
                switch object["unreachable"] {
                case nil, .bool(true)?: simulator.setUnreachable(node, ofStack: stack, true)
                case .bool(false)?: simulator.setUnreachable(node, ofStack: stack, false)
                case let value?: throw ControlError(message: "unreachable: \(value) is not true or false")
                }
            }
        }
    }
}
