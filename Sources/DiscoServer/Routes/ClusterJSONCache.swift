import DiscoCore
import Foundation

/// Encoded ``ClusterView`` JSON per cluster, reused while the record is unchanged: encoding is most of the cost of
/// `GET /api/v1/clusters/{id}`, and a listing of 10,000 clusters is the cached objects joined.
/// Entries of deleted clusters are dropped through ``remove(_:)``.
final class ClusterJSONCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (record: ClusterRecord, json: Data)] = [:]
    private let maxEntries = 12_000

    /// The same bytes as `JSONResponse.encoder.encode(ClusterView(record))`.
    func json(for record: ClusterRecord) -> Data {
        if let hit = lock.withLock({ entries[record.id] }), hit.record == record { return hit.json }
        let json = (try? JSONResponse.encoder.encode(ClusterView(record))) ?? Data("{}".utf8)
        lock.withLock {
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[record.id] = (record, json)
        }
        return json
    }

    /// Forgets a cluster (its record is gone).
    func remove(_ id: String) {
        lock.withLock { _ = entries.removeValue(forKey: id) }
    }

    /// Clusters with an entry (for tests).
    var count: Int { lock.withLock { entries.count } }

    /// `{"clusters":[…],"next":"…"}`, as `JSONResponse.make` would encode
    /// `ClusterListView(clusters: records.map(ClusterView.init), next: next)`.
    func listing(_ records: [ClusterRecord], next: String? = nil) -> Data {
        var body = Data(#"{"clusters":["#.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(json(for: record))
        }
        body.append(UInt8(ascii: "]"))
        if let next, let link = try? JSONResponse.encoder.encode(next) {
            body.append(contentsOf: Array(#","next":"#.utf8))
            body.append(link)
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    static func response(_ status: Int, _ body: Data, headers: HTTPHeaders = [:]) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: status, headers: headers, body: body)
        response.headers.set("Content-Type", "application/json")
        return response
    }
}
