import DiscoCore
import Foundation

/// The status service of simulated clusters: `GET http://<floating IP>:8084/health.json` answers the health document
/// a real master would publish, from the stack's servers and the catalog's daemons, so the embedded default shows
/// health as a real cloud does. Faults stop daemons, cut nodes off and fill disks.
extension SimulatedCloud {
    /// The status service's port on every node.
    static let statusPort = 8084

    /// What a fault did to one node of a simulated cluster.
    struct NodeFaults: Sendable, Hashable {
        var stoppedUnits: Set<String> = []
        var isUnreachable = false
        var diskFreePercent: Int?
    }

    /// Stops `unit` on `node` (`master` or `worker<index>`) of the stack named `stackName`: its health document shows
    /// it `failed` until ``startDaemon(_:on:ofStack:)``.
    public func stopDaemon(_ unit: String, on node: String, ofStack stackName: String) {
        _ = lock.withLock { state.nodeFaults[stackName, default: [:]][node, default: NodeFaults()].stoppedUnits.insert(unit) }
    }

    /// Starts a daemon stopped by ``stopDaemon(_:on:ofStack:)``.
    public func startDaemon(_ unit: String, on node: String, ofStack stackName: String) {
        lock.withLock { _ = state.nodeFaults[stackName]?[node]?.stoppedUnits.remove(unit) }
    }

    /// Makes `node` unreachable from its master (or, for the master, the whole document), or reachable again.
    public func setUnreachable(_ node: String, ofStack stackName: String, _ unreachable: Bool = true) {
        lock.withLock { state.nodeFaults[stackName, default: [:]][node, default: NodeFaults()].isUnreachable = unreachable }
    }

    /// Fills `node`'s root disk to leave `percent` free (`nil`: back to normal).
    public func setDiskFree(_ percent: Int?, on node: String, ofStack stackName: String) {
        lock.withLock { state.nodeFaults[stackName, default: [:]][node, default: NodeFaults()].diskFreePercent = percent }
    }

    /// Clears every health fault of the stack.
    public func clearHealthFaults(ofStack stackName: String) {
        lock.withLock { _ = state.nodeFaults.removeValue(forKey: stackName) }
    }

    /// The built-in catalog, for the daemons each component runs.
    private static let catalog = try? ComponentCatalog.builtIn()

    /// Answers a request to a node's status service (caller holds the lock).
    func statusService(_ request: HTTPRequest) throws -> HTTPResponse {
        advanceAll()
        let host = request.url.host ?? ""
        let refused = TransportError(message: "\(request.method) \(request.url.absoluteString): connection refused")
        guard let stack = state.stacks.stack(withFloatingIP: host), !stack.isPurged else { throw refused }
        let running = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "RESUME_COMPLETE", "CHECK_COMPLETE", "UPDATE_IN_PROGRESS",
                       "CHECK_IN_PROGRESS"]
        guard running.contains(stack.status) else { throw refused }
        let faults = state.nodeFaults[stack.name] ?? [:]
        if faults["master"]?.isUnreachable == true {
            throw TransportError(isTimeout: true, message: "\(request.method) \(request.url.absoluteString): timed out")
        }
        guard request.method == "GET", request.url.path == "/health.json" else {
            return Self.text(404, "File not found")
        }
        let document = healthDocument(of: stack, faults: faults)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(document)) ?? Data()
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }

    private func healthDocument(of stack: SimStack, faults: [String: NodeFaults]) -> HealthDocument {
        let components = stack.resources.values.first { $0.type == "OS::Heat::WaitCondition" }?
            .metadata["disco"]?["components"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let members = stack.resources["workers"]?.members ?? []
        let now = clock.now()
        func node(_ name: String, role: String, index: Int, server: SimResource?) -> HealthDocument.Node {
            let address = server?.attributes["first_address"]?.stringValue ?? ""
            let fault = faults[name] ?? NodeFaults()
            if fault.isUnreachable {
                return HealthDocument.Node(name: name, role: role, index: index, address: address, reachable: false,
                                           error: "timed out after 5 s")
            }
            let onMaster = role == "master"
            var daemons: [HealthDocument.Daemon] = []
            for component in components {
                for daemon in Self.catalog?[component]?.manifest.daemons ?? []
                where daemon.runs(onMaster: onMaster, workers: members.count) {
                    let stopped = fault.stoppedUnits.contains(daemon.unit)
                    daemons.append(HealthDocument.Daemon(component: component, unit: daemon.unit,
                                                         state: stopped ? "failed" : "active",
                                                         subState: stopped ? "failed" : "running"))
                }
            }
            let total: Int64 = 20 << 30
            let free = total * Int64(fault.diskFreePercent ?? 60) / 100
            return HealthDocument.Node(name: name, role: role, index: index, address: address, checkedAt: now,
                                       daemons: daemons, disk: .init(totalBytes: total, freeBytes: free),
                                       memory: .init(totalBytes: 4 << 30, availableBytes: 2 << 30))
        }
        var nodes = [node("master", role: "master", index: 0, server: stack.resources["master"])]
        for (index, member) in members.enumerated() {
            nodes.append(node("worker\(index)", role: "worker", index: index, server: member))
        }
        return HealthDocument(cluster: stack.name, checkedAt: now, nodes: nodes)
    }
}
