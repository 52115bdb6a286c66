import Foundation
import Testing
@testable import DiscoCore

/// The store's fast record reader must agree with `JSONDecoder` on everything `JSONEncoder` writes.
@Suite struct StoredRecordReadingTests {
    let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// A record with every optional set and awkward text everywhere.
    func fullRecord(_ n: Int) -> ClusterRecord {
        let spec = ClusterSpec(name: "c-\(n)", master: NodeSpec(image: "ubuntu \"22.04\"", flavor: "m1.large"),
                               worker: NodeSpec(image: "debian/12", flavor: "m1.medium"), workers: n % 7, network: "net-\(n)",
                               externalNetwork: "public", components: ["spark": ["driver_memory": "2g"], "jupyter": [:]],
                               ttlSeconds: 3_600 + n, tags: ["team=α", "line\nbreak", "tab\tand\\slash"])
        var record = ClusterRecord(
            id: "id-\(n)", projectID: "p-\(n % 3)", projectName: "démo", userID: "u1", spec: spec,
            components: [ResolvedComponent(name: "base", version: "1.0.0", reason: .implicit),
                         ResolvedComponent(name: "hadoop", version: "3.4.3", reason: .requiredBy(["spark", "jupyter"]),
                                           properties: ["replication": "auto"]),
                         ResolvedComponent(name: "spark", version: "3.5.8", reason: .requested)],
            uiLinks: [PlannedUILink(component: "spark", name: "Spark → history 😀", port: 18_080, path: "/", scheme: "http",
                                    isPublic: n % 2 == 0, outputKey: "ui_spark_0")],
            totals: ResourceTotals(instances: 3, vcpus: 8, ramMB: 16_384, diskGB: 160, floatingIPs: 1, networks: 1, routers: 1,
                                   securityGroups: 1),
            stackName: "disco-c-\(n)", createdAt: Date(timeIntervalSince1970: 1_767_225_600 + Double(n)))
        record.stackID = "stack-\(n)"
        record.move(to: .provisioning, reason: "creating the stack \u{1}", at: record.createdAt.addingTimeInterval(1))
        record.stackStatus = "CREATE_IN_PROGRESS"
        record.stackStatusReason = "Stack CREATE started"
        record.outputs = ["master_ip": "203.0.113.\(n % 250)", "ui_spark_0": "http://203.0.113.1:18080/"]
        record.progress["spark"] = ComponentProgress(state: .installing, detail: "downloading…",
                                                     updatedAt: record.createdAt.addingTimeInterval(2))
        record.desiredWorkers = n % 5
        record.eventMarker = "event-\(n)"
        record.deleteAttempts = n % 4
        record.isDeleteRequested = n % 3 == 0
        record.pendingAction = "UPDATE"
        record.pendingActionStarted = true
        return record
    }

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
            let record = fullRecord(n)
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
        let record = fullRecord(1)
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
        let records = (0..<700).map(fullRecord)
        for record in records { try store.put(record) }
        // 700 puts: a compacted snapshot of 400 plus a journal of 300, read in parallel chunks.
        let reopened = try FileJournalStore(directory: directory).loadAll()
        #expect(reopened.count == records.count)
        #expect(Dictionary(uniqueKeysWithValues: reopened.map { ($0.id, $0) }) == Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) }))
    }
}
