import Foundation
import Testing
@testable import DiscoCore

/// The store's fast record reader must agree with `JSONDecoder` on everything `JSONEncoder` writes.
@Suite struct StoredRecordReadingTests {
    let encoder = StoreJSON.encoder
    let decoder = StoreJSON.decoder

    func fastRead(_ data: Data) throws -> FileJournalStore.Entry {
        var memo = StoredRecordMemo()
        return try data.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            let entry = try FileJournalStore.Entry(reading: &reader, memo: &memo)
            try reader.end()
            return entry
        }
    }

    @Test func fullyPopulatedRecordsReadAsJSONDecoderReadsThem() throws {
        for n in 0..<50 {
            let record = ClusterRecord.sample(n)
            let data = try encoder.encode(FileJournalStore.Entry(op: "put", id: record.id, record: record))
            let fast = try fastRead(data)
            let reference = try decoder.decode(FileJournalStore.Entry.self, from: data)
            #expect(fast.record == reference.record)
            #expect(fast.record == record)
            #expect(fast.op == "put" && fast.id == record.id)
        }
    }

    @Test func absentOptionalsAndDefaultsMatchTheCodableDefaults() throws {
        // `worker`, `components`, `tags` absent: the spec's decoder fills them from `master` and empty values.
        let minimal = #"""
            {"op":"put","id":"x","record":{"id":"x","projectID":"p","projectName":"n","userID":"u",
            "spec":{"name":"s","master":{"image":"i","flavor":"f"},"workers":1,"externalNetwork":"public","extra":[1,{"a":null}]},
            "components":[],"uiLinks":[],"totals":{"instances":1,"vcpus":1,"ramMB":1,"diskGB":1,"floatingIPs":1,"networks":1,
            "routers":1,"securityGroups":1},"stackName":"s","state":"accepted","stateReason":"r","stackStatus":"",
            "stackStatusReason":"","outputs":{},"progress":{},"events":[],"createdAt":"2026-01-01T00:00:00Z",
            "updatedAt":"2026-01-01T00:00:00Z","deleteAttempts":0,"isDeleteRequested":false,"pendingActionStarted":false,
            "stackID":null}}
            """#.replacingOccurrences(of: "\n", with: "")
        let data = Data(minimal.utf8)
        let fast = try fastRead(data)
        #expect(fast.record == (try decoder.decode(FileJournalStore.Entry.self, from: data)).record)
        #expect(fast.record?.spec.worker == NodeSpec(image: "i", flavor: "f"))
        #expect(fast.record?.stackID == nil)
    }

    @Test func aMissingFieldFailsTheFastPathAndTheStoreReportsJSONDecodersError() throws {
        let record = ClusterRecord.sample(1)
        var object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(record)) as? [String: Any])
        object["state"] = nil
        let line = try JSONSerialization.data(withJSONObject: ["op": "put", "id": "id-1", "record": object])
        #expect(throws: JSONReader.Failure.self) { try fastRead(line) }
        var memo = StoredRecordMemo()
        let error = line.withUnsafeBytes { raw in
            #expect(throws: (any Error).self) { try FileJournalStore.decodeEntry(raw, decoder: decoder, memo: &memo) }
        }
        #expect(error.map { "\($0)".contains("state") } == true, "\(String(describing: error))")
    }

    @Test func aStoreOfManyRecordsReopensIdentical() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-reading-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory, compactAfter: 400)
        let records = (0..<700).map(ClusterRecord.sample)
        for record in records { try store.put(record) }
        // 700 puts: a compacted snapshot of 400 plus a journal of 300, read in parallel chunks.
        let reopened = try FileJournalStore(directory: directory).loadAll()
        #expect(reopened.count == records.count)
        #expect(Dictionary(uniqueKeysWithValues: reopened.map { ($0.id, $0) }) == Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) }))
    }
}
