import DiscoCore
import DiscoOCCI
import Foundation

/// Rendered `GET /disco/{id}` responses per cluster, reused while the record (compared by value), its private key and
/// generated passwords, the request's base URL and the negotiated media type are unchanged: building and rendering the
/// entity is most of the cost of an OCCI read. A changed record or key replaces the cluster's entry; a deleted
/// cluster's is dropped through ``remove(_:)``.
final class OCCIEntityCache: @unchecked Sendable {
    private struct Key: Hashable {
        var baseURL: String
        var type: OCCIMediaType
    }

    private struct Entry {
        var record: ClusterRecord
        var privateKey: String?
        var passwords: [String: String]
        var responses: [Key: HTTPServerResponse]
    }

    /// Clusters kept; past this the cache starts over (a rendering with its key is a few KiB).
    let maxEntries: Int
    /// Renderings kept per cluster (one per base URL and media type).
    let maxRenderingsPerEntry = 8

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    init(maxEntries: Int = 1_000) {
        self.maxEntries = maxEntries
    }

    /// The cached response for this record, key, passwords, base URL and type, or `render()`'s (then kept).
    func response(for record: ClusterRecord, privateKey: String?, passwords: [String: String] = [:], baseURL: String,
                  type: OCCIMediaType,
                  render: () -> HTTPServerResponse) -> HTTPServerResponse {
        let key = Key(baseURL: baseURL, type: type)
        if let hit = lock.withLock({ () -> HTTPServerResponse? in
            guard let entry = entries[record.id], entry.privateKey == privateKey, entry.passwords == passwords, entry.record == record else { return nil }
            return entry.responses[key]
        }) {
            return hit
        }
        let response = render()
        lock.withLock {
            if var entry = entries[record.id], entry.privateKey == privateKey, entry.passwords == passwords, entry.record == record {
                if entry.responses.count >= maxRenderingsPerEntry { entry.responses.removeAll() }
                entry.responses[key] = response
                entries[record.id] = entry
            } else {
                if entries.count >= maxEntries && entries[record.id] == nil { entries.removeAll(keepingCapacity: true) }
                entries[record.id] = Entry(record: record, privateKey: privateKey, passwords: passwords, responses: [key: response])
            }
        }
        return response
    }

    /// Forgets a cluster (its record is gone).
    func remove(_ id: String) {
        lock.withLock { _ = entries.removeValue(forKey: id) }
    }

    /// Clusters with an entry (for tests).
    var count: Int { lock.withLock { entries.count } }
}
