public import Foundation

/// The health document a cluster's master publishes at `http://<master>:8084/health.json`: what every node's
/// gatherer saw of its daemons, readiness probes, disk and memory. Facts only; ``HealthAssessment`` judges them.
///
/// The status page is public, so the document published there names no node's address (its copy on the cluster's
/// internal service does); `address` is read when present and is empty otherwise.
///
/// ```json
/// { "version": 1, "cluster": "demo", "checkedAt": "2026-12-04T00:00:00Z",
///   "nodes": [ { "name": "master", "role": "master", "index": 0, "address": "10.0.0.4", "reachable": true,
///                "checkedAt": "2026-12-04T00:00:00Z",
///                "daemons": [ { "component": "hadoop", "unit": "hadoop-namenode", "state": "active", "subState": "running" } ],
///                "probes": [ { "component": "hadoop", "target": "http://127.0.0.1:8088/ws/v1/cluster/info", "ok": true } ],
///                "disk": { "path": "/", "totalBytes": 21474836480, "freeBytes": 9663676416 },
///                "memory": { "totalBytes": 4294967296, "availableBytes": 2147483648 } },
///              { "name": "worker1", "role": "worker", "index": 1, "address": "10.0.0.6", "reachable": false,
///                "error": "timed out" } ] }
/// ```
public struct HealthDocument: Sendable, Hashable, Codable {
    /// The largest document DISCO reads (a thousand nodes fit).
    public static let maxBytes = 4 << 20

    public var version: Int
    public var cluster: String
    /// When the master's gatherer wrote the document.
    public var checkedAt: Date
    public var nodes: [Node]

    public init(version: Int = 1, cluster: String, checkedAt: Date, nodes: [Node]) {
        self.version = version
        self.cluster = cluster
        self.checkedAt = checkedAt
        self.nodes = nodes
    }

    /// One node as the master saw it.
    public struct Node: Sendable, Hashable, Codable {
        public var name: String
        /// `master` or `worker`.
        public var role: String
        /// The worker's index in the resource group (0 for the master).
        public var index: Int
        public var address: String
        /// Whether the master could read the node's own report.
        public var reachable: Bool
        /// Why the node's report could not be read.
        public var error: String?
        /// When the node's gatherer last looked (its last report, for an unreachable node).
        public var checkedAt: Date?
        public var daemons: [Daemon]
        public var probes: [Probe]
        public var disk: Disk?
        public var memory: Memory?

        public init(name: String, role: String, index: Int, address: String, reachable: Bool = true, error: String? = nil,
                    checkedAt: Date? = nil, daemons: [Daemon] = [], probes: [Probe] = [], disk: Disk? = nil,
                    memory: Memory? = nil) {
            self.name = name
            self.role = role
            self.index = index
            self.address = address
            self.reachable = reachable
            self.error = error
            self.checkedAt = checkedAt
            self.daemons = daemons
            self.probes = probes
            self.disk = disk
            self.memory = memory
        }

        public var isMaster: Bool { role == "master" }

        private enum CodingKeys: String, CodingKey {
            case name, role, index, address, reachable, error, checkedAt, daemons, probes, disk, memory
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            role = try c.decode(String.self, forKey: .role)
            index = try c.decodeIfPresent(Int.self, forKey: .index) ?? 0
            address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
            reachable = try c.decodeIfPresent(Bool.self, forKey: .reachable) ?? true
            error = try c.decodeIfPresent(String.self, forKey: .error)
            checkedAt = try c.decodeIfPresent(Date.self, forKey: .checkedAt)
            daemons = try c.decodeIfPresent([Daemon].self, forKey: .daemons) ?? []
            probes = try c.decodeIfPresent([Probe].self, forKey: .probes) ?? []
            disk = try c.decodeIfPresent(Disk.self, forKey: .disk)
            memory = try c.decodeIfPresent(Memory.self, forKey: .memory)
        }
    }

    /// A systemd unit's state, as `systemctl show` gives it.
    public struct Daemon: Sendable, Hashable, Codable {
        public var component: String
        public var unit: String
        /// `ActiveState`: `active`, `activating`, `failed`, `inactive`, … (`missing` when the unit does not exist).
        public var state: String
        /// `SubState`, e.g. `running` or `auto-restart`.
        public var subState: String?

        public init(component: String, unit: String, state: String, subState: String? = nil) {
            self.component = component
            self.unit = unit
            self.state = state
            self.subState = subState
        }

        public var isActive: Bool { state == "active" }
    }

    /// A component's readiness probe (the URL or port its install waited for).
    public struct Probe: Sendable, Hashable, Codable {
        public var component: String
        public var target: String
        public var ok: Bool
        public var error: String?

        public init(component: String, target: String, ok: Bool, error: String? = nil) {
            self.component = component
            self.target = target
            self.ok = ok
            self.error = error
        }
    }

    /// The root file system.
    public struct Disk: Sendable, Hashable, Codable {
        public var path: String
        public var totalBytes: Int64
        public var freeBytes: Int64

        public init(path: String = "/", totalBytes: Int64, freeBytes: Int64) {
            self.path = path
            self.totalBytes = totalBytes
            self.freeBytes = freeBytes
        }
    }

    /// `MemTotal` and `MemAvailable` of `/proc/meminfo`.
    public struct Memory: Sendable, Hashable, Codable {
        public var totalBytes: Int64
        public var availableBytes: Int64

        public init(totalBytes: Int64, availableBytes: Int64) {
            self.totalBytes = totalBytes
            self.availableBytes = availableBytes
        }
    }

    /// Reads a document; the error says what is wrong with it.
    public static func decode(_ data: Data) throws(HealthDocumentError) -> HealthDocument {
        guard data.count <= maxBytes else {
            throw HealthDocumentError("the health document has \(data.count) bytes, more than the \(maxBytes) DISCO reads")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let document = try decoder.decode(HealthDocument.self, from: data)
            guard document.version == 1 else {
                throw HealthDocumentError("the health document has version \(document.version); DISCO reads version 1")
            }
            return document.withPrintableText()
        } catch let error as HealthDocumentError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw HealthDocumentError("the health document lacks '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw HealthDocumentError("the health document is not valid JSON")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            let at = Self.path(context.codingPath)
            throw HealthDocumentError("the health document is not valid\(at.isEmpty ? "" : " at '\(at)'"): "
                                      + context.debugDescription)
        } catch {
            throw HealthDocumentError("the health document is not valid JSON")
        }
    }

    /// The cluster writes this document (a user with root on the master can write anything): its text reaches logs,
    /// the dashboard and terminals, so control characters are dropped and each string is kept to 500 characters.
    func withPrintableText() -> HealthDocument {
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.filter {
                !($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029)
            }).prefix(500))
        }
        var copy = self
        copy.cluster = clean(cluster)
        copy.nodes = nodes.map { node in
            var node = node
            node.name = clean(node.name)
            node.role = clean(node.role)
            node.address = clean(node.address)
            node.error = node.error.map(clean)
            node.daemons = node.daemons.map {
                Daemon(component: clean($0.component), unit: clean($0.unit), state: clean($0.state), subState: $0.subState.map(clean))
            }
            node.probes = node.probes.map {
                Probe(component: clean($0.component), target: clean($0.target), ok: $0.ok, error: $0.error.map(clean))
            }
            return node
        }
        return copy
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }
}

/// A health document that could not be read.
public struct HealthDocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
