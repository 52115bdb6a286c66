import Foundation
import Synchronization
import Testing
@testable import DiscoCore

@Suite struct FileJournalStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-store-\(UUID().uuidString)")

    func record(_ id: String, workers: Int = 2) -> ClusterRecord {
        ClusterRecord(id: id, projectID: "p1", projectName: "demo", userID: "u1", spec: .make(workers: workers),
                      components: [ResolvedComponent(name: "base", version: "1", reason: .implicit)], uiLinks: [],
                      totals: ResourceTotals(instances: 1, vcpus: 1, ramMB: 1, diskGB: 1, floatingIPs: 1, networks: 1,
                                             routers: 1, securityGroups: 1),
                      stackName: "disco-\(id)", createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func putsAndRemovesSurviveReopening() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory)
        try store.put(record("a"))
        try store.put(record("b"))
        var changed = record("a", workers: 7)
        changed.move(to: .provisioning, reason: "creating", at: Date(timeIntervalSince1970: 1_800_000_100))
        try store.put(changed)
        try store.remove(id: "b")
        let reopened = try FileJournalStore(directory: directory)
        let all = try reopened.loadAll()
        #expect(all.map(\.id) == ["a"])
        #expect(all.first == changed)
    }

    @Test func tornLastLineIsDroppedAndEarlierChangesKept() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory)
        try store.put(record("a"))
        try store.put(record("b"))
        // A crash in the middle of an append leaves a partial line.
        let journal = directory.appendingPathComponent("clusters.journal")
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"op":"put","id":"c","record":{"id":"#.utf8))
        try handle.close()
        #expect(try FileJournalStore(directory: directory).loadAll().map(\.id) == ["a", "b"])
    }

    @Test func aTornLastLineIsLoggedWithTheFileAndTheOffsetCut() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory)
        try store.put(record("a"))
        let journal = directory.appendingPathComponent("clusters.journal")
        let whole = try Data(contentsOf: journal).count
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "test") { line in lines.withLock { $0.append(line) } }
        _ = try FileJournalStore(directory: directory, logger: logger)
        #expect(lines.withLock { $0 }.isEmpty)
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"op":"put","id":"b","rec"#.utf8))
        try handle.close()
        #expect(try FileJournalStore(directory: directory, logger: logger).loadAll().map(\.id) == ["a"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1, "\(written)")
        #expect(written.first?.contains("warning test:") == true, "\(written)")
        #expect(written.first?.contains("file=\(journal.path)") == true, "\(written)")
        #expect(written.first?.contains("offset=\(whole)") == true, "\(written)")
        #expect(written.first?.contains("bytes=25") == true, "\(written)")
        #expect(try Data(contentsOf: journal).count == whole)
    }

    @Test func compactionKeepsEverything() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory, compactAfter: 3)
        for n in 0..<10 { try store.put(record("r\(n)")) }
        try store.remove(id: "r3")
        let ids = try FileJournalStore(directory: directory).loadAll().map(\.id).sorted()
        #expect(ids == ["r0", "r1", "r2", "r4", "r5", "r6", "r7", "r8", "r9"])
        let journalLines = try String(contentsOf: directory.appendingPathComponent("clusters.journal"), encoding: .utf8)
            .split(separator: "\n").count
        #expect(journalLines < 4)
    }

    @Test func secretsArePrivateFilesRemovedWithTheRecord() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory)
        try store.put(record("a"))
        try store.putSecret(Data("KEY".utf8), named: .sshPrivateKey, for: "a")
        let path = directory.appendingPathComponent("secrets/a/ssh_private_key").path
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try store.secret(named: .sshPrivateKey, for: "a") == Data("KEY".utf8))
        // The record file never holds the secret.
        let journal = try String(contentsOf: directory.appendingPathComponent("clusters.journal"), encoding: .utf8)
        #expect(!journal.contains("KEY\""))
        try store.remove(id: "a")
        #expect(try store.secret(named: .sshPrivateKey, for: "a") == nil)
    }

    @Test func corruptMiddleLineIsReportedWithItsLine() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory)
        try store.put(record("a"))
        let journal = directory.appendingPathComponent("clusters.journal")
        try ("garbage\n" + (try String(contentsOf: journal, encoding: .utf8))).write(to: journal, atomically: true, encoding: .utf8)
        let error = #expect(throws: StoreError.self) { try FileJournalStore(directory: directory) }
        #expect(error?.path.hasSuffix("clusters.journal:1") == true)
    }
}
