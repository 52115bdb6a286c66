import DiscoCore
import Foundation

/// Request counters and latency histograms, rendered in the Prometheus text format. Route labels are the route table's
/// templates (or ``Router/unmatchedLabel``), methods known ones (or `OTHER`) and statuses the server's, so the series
/// stay bounded whatever clients send.
final class Metrics: @unchecked Sendable {
    private let lock = NSLock()
    /// The route labels counted under their own name.
    private let routeLabels: Set<String>
    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
        var labels: String {
            "route=\"\(Metrics.escape(route))\",method=\"\(Metrics.escape(method))\",status=\"\(status)\""
        }
    }
    /// Requests by (route, method, status).
    private var requests: [Key: Int] = [:]
    /// Latency histogram buckets in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    private var latencyCounts = [Int](repeating: 0, count: Metrics.buckets.count + 1)
    private var latencySum: Double = 0
    private var latencyCount = 0

    /// The methods counted under their own name; any other is counted as `OTHER`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    /// - Parameter routeLabels: the route templates; any other route is counted as ``Router/unmatchedLabel``.
    init(routeLabels: Set<String>) {
        self.routeLabels = routeLabels
    }

    func record(route: String, method: String, status: Int, seconds: Double) {
        let key = Key(route: routeLabels.contains(route) ? route : Router.unmatchedLabel,
                      method: Self.knownMethods.contains(method) ? method : "OTHER",
                      status: (100...599).contains(status) ? status : 0)
        let bucket = Self.buckets.firstIndex { seconds <= $0 } ?? Self.buckets.count
        lock.withLock {
            requests[key, default: 0] += 1
            latencyCounts[bucket] += 1
            latencySum += seconds
            latencyCount += 1
        }
    }

    /// `value` as a label value of the exposition format: backslash, double quote and line feed escaped.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// The exposition text; `states` and `cloudErrors` come from the cluster service, `residentBytes` and
    /// `heapInUseBytes` from ``ProcessMemory`` (left out when `nil`).
    func render(states: [ClusterState: Int], cloudErrors: [CloudErrorLabel: Int], connections: Int?,
                createPhases: CreatePhaseStatistics = .init(),
                health: [ClusterHealth.Status: Int] = [:], healthReads: (total: Int, failed: Int) = (0, 0),
                residentBytes: Int? = nil, heapInUseBytes: Int? = nil) -> String {
        var out = "# HELP disco_http_requests_total HTTP requests by route, method and status.\n"
        out += "# TYPE disco_http_requests_total counter\n"
        let (requests, counts, sum, count) = lock.withLock { (self.requests, latencyCounts, latencySum, latencyCount) }
        for (labels, count) in requests.map({ ($0.key.labels, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            out += "disco_http_requests_total{\(labels)} \(count)\n"
        }
        out += "# HELP disco_http_request_duration_seconds Time from the request's first byte to the handler's answer.\n"
        out += "# TYPE disco_http_request_duration_seconds histogram\n"
        var cumulative = 0
        for (index, bound) in Self.buckets.enumerated() {
            cumulative += counts[index]
            out += "disco_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "disco_http_request_duration_seconds_bucket{le=\"+Inf\"} \(count)\n"
        out += "disco_http_request_duration_seconds_sum \(sum)\n"
        out += "disco_http_request_duration_seconds_count \(count)\n"
        out += "# HELP disco_clusters Clusters by state.\n# TYPE disco_clusters gauge\n"
        for state in ClusterState.allCases {
            out += "disco_clusters{state=\"\(state.rawValue)\"} \(states[state] ?? 0)\n"
        }
        out += "# HELP disco_clusters_health Ready clusters by their last health check.\n# TYPE disco_clusters_health gauge\n"
        for status in ClusterHealth.Status.allCases {
            out += "disco_clusters_health{health=\"\(status.rawValue)\"} \(health[status] ?? 0)\n"
        }
        out += "# HELP disco_health_reads_total Reads of clusters' health documents.\n# TYPE disco_health_reads_total counter\n"
        out += "disco_health_reads_total \(healthReads.total)\n"
        out += "# HELP disco_health_read_failures_total Reads of health documents that failed.\n"
        out += "# TYPE disco_health_read_failures_total counter\ndisco_health_read_failures_total \(healthReads.failed)\n"
        out += "# HELP disco_cloud_errors_total Failed cloud calls by service and kind.\n# TYPE disco_cloud_errors_total counter\n"
        for label in cloudErrors.keys.sorted() {
            out += "disco_cloud_errors_total{service=\"\(label.service)\",kind=\"\(label.kind.rawValue)\"} \(cloudErrors[label]!)\n"
        }
        out += "# HELP disco_create_phase_seconds Seconds from a create request to each of its steps.\n"
        out += "# TYPE disco_create_phase_seconds histogram\n"
        for phase in CreatePhase.allCases {
            let histogram = createPhases.phases[phase] ?? .init()
            var cumulative = 0
            for (index, bound) in CreatePhaseStatistics.buckets.enumerated() {
                cumulative += histogram.counts[index]
                out += "disco_create_phase_seconds_bucket{phase=\"\(phase.rawValue)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "disco_create_phase_seconds_bucket{phase=\"\(phase.rawValue)\",le=\"+Inf\"} \(histogram.count)\n"
            out += "disco_create_phase_seconds_sum{phase=\"\(phase.rawValue)\"} \(histogram.sum)\n"
            out += "disco_create_phase_seconds_count{phase=\"\(phase.rawValue)\"} \(histogram.count)\n"
        }
        if let connections {
            out += "# HELP disco_http_open_connections Open client connections.\n# TYPE disco_http_open_connections gauge\n"
            out += "disco_http_open_connections \(connections)\n"
        }
        if let residentBytes {
            out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
            out += "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes \(residentBytes)\n"
        }
        if let heapInUseBytes {
            out += "# HELP disco_heap_in_use_bytes Bytes malloc has handed out and not had back (glibc malloc_info).\n"
            out += "# TYPE disco_heap_in_use_bytes gauge\ndisco_heap_in_use_bytes \(heapInUseBytes)\n"
        }
        return out
    }
}
