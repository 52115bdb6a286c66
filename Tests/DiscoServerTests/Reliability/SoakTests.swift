import DiscoCore
import DiscoOpenStack
import DiscoRuntime
import Foundation
import Testing
@testable import DiscoServer

/// Fault soak: cluster lifecycles (create → ready or failed → delete → gone) through the REST API on the simulated
/// cloud, with about one lifecycle in ten hit by an injected fault: a 503 burst, Heat timing out, Heat's answers lost
/// after the requests took effect, CREATE_FAILED, DELETE_FAILED (stuck until cleared), or every token expiring.
/// Every cluster must end in a terminal state with a reason, every stack must be gone at the end, and the process's
/// memory must stay flat.
///
/// `swift test --filter SoakTests` runs 30 lifecycles; `DISCO_SOAK_LIFECYCLES=1000` (Benchmarks/soak.sh) the full soak.
/// With `SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0` (soak.sh sets it) the heap must stay flat too.
@Suite(.serialized) struct SoakTests {
    enum Fault: String, CaseIterable {
        case burst503 = "503 burst", timeout = "Heat timeout", lostAnswers = "answers lost", createFailed = "CREATE_FAILED",
             deleteFailed = "DELETE_FAILED", tokenExpiry = "token expiry"
    }

    /// Every tenth sample (ten or so).
    /// Swift Testing records no backtrace for thrown errors (which it keeps while the test runs).
    static var errorBacktracesOff: Bool {
        ProcessInfo.processInfo.environment["SWT_SWIFT_ERROR_BACKTRACING_ENABLED"].map { ["0", "false", "no"].contains($0.lowercased()) } ?? false
    }

    static func tenths(_ samples: [Int]) -> [Int] {
        samples.enumerated().filter { $0.offset % max(1, samples.count / 10) == 0 }.map(\.element)
    }

    @Test func lifecyclesWithInjectedFaults() async throws {
        let lifecycles = ProcessInfo.processInfo.environment["DISCO_SOAK_LIFECYCLES"].flatMap(Int.init) ?? 30
        let batchSize = 25
        // The simulator shares the process: it keeps few purged stacks and its request log is cleared after each batch,
        // so that what grows would be DISCO's.
        // The soak churns one project faster than the per-project limits allow (they have tests of their own).
        let t = try await TestApp.make(quota: .init(instances: 200, cores: 800, ramMB: 2_000_000, floatingIPs: 100),
                                       cloudConfiguration: { $0.maxPurgedStacks = 50 },
                                       configure: { $0.createsPerMinute = nil; $0.maxClustersPerProject = nil })
        defer { Task { await t.stop() } }
        var (token, project) = try await t.login()
        var rng = SystemRandomNumberGenerator()
        var faults: [Fault: Int] = [:]
        var outcomes: [String: Int] = [:]
        var problems: [String] = []
        var rss: [Int] = []
        var heap: [Int] = []
        let started = Date()

        func call(_ method: String, _ path: String, body: String = "") async throws -> HTTPServerResponse {
            var response = await t.request(method, path, headers: [("X-Auth-Token", token)], body: body)
            if response.status == 401 {
                // What a client does when its token expired: log in again.
                (token, project) = try await t.login()
                response = await t.request(method, path, headers: [("X-Auth-Token", token)], body: body)
            }
            return response
        }

        var done = 0
        var batch = 0
        while done < lifecycles {
            batch += 1
            let count = min(batchSize, lifecycles - done)
            // Roll the faults of this batch: each lifecycle has a 1-in-10 chance to bring one.
            var batchFaults: [Fault] = []
            for _ in 0..<count where Int.random(in: 0..<10, using: &rng) == 0 {
                batchFaults.append(Fault.allCases.randomElement(using: &rng)!)
            }
            for fault in batchFaults { faults[fault, default: 0] += 1 }
            // The simulator holds one pending CREATE_FAILED per resource name: several in a batch fail one stack.
            let expectFailure = batchFaults.contains(.createFailed) ? 1 : 0
            for fault in batchFaults {
                switch fault {
                case .burst503: t.simulator.failNextRequests(to: .orchestration, count: 5)
                case .timeout: t.simulator.delayResponses(of: .orchestration, seconds: 10_000)
                // The next create, show or delete happens in Heat while DISCO sees a timeout.
                case .lostAnswers: t.simulator.loseNextAnswers(of: .orchestration, count: 3)
                case .createFailed: t.simulator.failResource(named: "master", reason: "No valid host was found (soak)")
                case .tokenExpiry: t.simulator.expireAllTokens()
                case .deleteFailed: break
                }
            }
            var ids: [String] = []
            for n in 0..<count {
                let response = try await call("POST", "/api/v1/clusters", body: """
                    {"name":"soak-\(batch)-\(n)","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":1,
                     "externalNetwork":"public","components":{"spark":{}}}
                    """)
                guard response.status == 201, let id = try response.json()["id"] as? String else {
                    problems.append("batch \(batch): create answered \(response.status) \(response.text.prefix(200))")
                    continue
                }
                ids.append(id)
            }
            // Heat timing out for a while, then answering again.
            var steps = 0
            try await t.settle(upTo: 2000, step: 2) {
                steps += 1
                if steps == 40 { t.simulator.delayResponses(of: .orchestration, seconds: 0) }
                for id in ids {
                    guard let state = await t.state(of: id, project: project), [.ready, .failed].contains(state) else { return false }
                }
                return true
            }
            t.simulator.delayResponses(of: .orchestration, seconds: 0)
            var failed = 0
            for id in ids {
                let record = try await t.service.get(id, projectID: project)
                outcomes[record.state.rawValue, default: 0] += 1
                if record.state == .failed { failed += 1 }
                if record.stateReason.isEmpty { problems.append("\(id): \(record.state.rawValue) without a reason") }
                if record.state == .failed, !record.stateReason.contains("soak") {
                    problems.append("\(id): failed for an unexpected reason: \(record.stateReason)")
                }
            }
            if failed != expectFailure { problems.append("batch \(batch): \(failed) failed, \(expectFailure) CREATE_FAILED injected") }
            // Delete everything; a DELETE_FAILED fault sticks one stack until it is cleared.
            let stuck = batchFaults.contains(.deleteFailed) ? ids.first : nil
            if let stuck { t.simulator.failDeletes(ofStack: try await t.service.get(stuck, projectID: project).stackName) }
            for id in ids {
                let response = try await call("DELETE", "/api/v1/clusters/\(id)")
                if response.status != 202 { problems.append("\(id): delete answered \(response.status)") }
            }
            if let stuck {
                try await t.settle(upTo: 400, step: 2) {
                    (try? await t.service.get(stuck, projectID: project, includeDeleting: true).deleteAttempts) ?? 0 >= 2
                }
                t.simulator.clearDeleteFailures()
            }
            try await t.settle(upTo: 3000, step: 5) {
                for id in ids where await t.state(of: id, project: project) != nil { return false }
                return true
            }
            done += count
            t.simulator.clearRequests()
            rss.append(ProcessMemory.residentKiB() ?? 0)
            heap.append(ProcessMemory.mallocInUseBytes() ?? 0)
        }
        let orphans = t.simulator.stackNames
        if !orphans.isEmpty { problems.append("\(orphans.count) stacks left in the cloud: \(orphans.prefix(5))") }
        let leftover = await t.service.list(projectID: project, includeDeleting: true)
        if !leftover.isEmpty { problems.append("\(leftover.count) records left") }

        // What is derived from records goes with them; the simulator keeps a bounded history.
        if t.app.jsonCache.count != 0 || t.app.occiCache.count != 0 {
            problems.append("rendered responses of deleted clusters kept: \(t.app.jsonCache.count) JSON, \(t.app.occiCache.count) OCCI")
        }
        let kept = t.simulator.bookkeeping
        if kept.stacks > t.simulator.configuration.maxPurgedStacks { problems.append("the simulator keeps \(kept.stacks) stacks") }

        let tenth = max(1, rss.count / 10)
        let early = rss.prefix(tenth).reduce(0, +) / tenth, late = rss.suffix(tenth).reduce(0, +) / tenth
        let seconds = Date().timeIntervalSince(started)
        print("""
            soak: \(lifecycles) lifecycles in \(String(format: "%.1f", seconds)) s; faults injected \(faults.values.reduce(0, +)) \
            (\(faults.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", "))); \
            terminal states before delete \(outcomes.sorted { $0.key < $1.key }); stacks left \(orphans.count), records left \(leftover.count); \
            simulator keeps \(kept.tokens) tokens, \(kept.credentials) credentials, \(kept.stacks) stacks, \(kept.requests) requests; \
            RSS first tenth \(early / 1024) MiB, last tenth \(late / 1024) MiB, max \(rss.max()! / 1024) MiB \
            (samples: \(Self.tenths(rss).map { "\($0 / 1024)" }.joined(separator: " "))); \
            malloc in use, MiB: \(Self.tenths(heap).map { String(format: "%.1f", Double($0) / 1_048_576) }.joined(separator: " "))
            """)
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(20).joined(separator: "\n"))")
        // Flat: the last tenth within 25 MiB of the first (the first batches warm caches up).
        #expect(late - early < 25 * 1024, "memory grew from \(early / 1024) to \(late / 1024) MiB")
        // Swift Testing keeps a backtrace of every error thrown while it records them (~2 KiB a lifecycle here);
        // with that off (soak.sh) the bytes malloc hands out must stay flat: < 1 KiB a lifecycle, 2 MiB at least.
        if Self.errorBacktracesOff, let first = heap.first, let last = heap.last, first > 0 {
            let allowed = max(2 << 20, lifecycles << 10)
            #expect(last - first < allowed, "malloc in use grew \((last - first) >> 10) KiB over \(lifecycles) lifecycles")
        }
    }
}
