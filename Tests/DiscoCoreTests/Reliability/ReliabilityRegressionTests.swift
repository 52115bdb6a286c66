import Foundation
import Testing
@testable import DiscoCore

/// Regressions for what the reliability suites (Benchmarks/, Fuzz/) found in DiscoCore.
@Suite struct ReliabilityRegressionTests {
    /// Benchmarks/hostile.sh: `"workers": 9223372036854775807` trapped on arithmetic overflow in the quota check,
    /// killing the server. It must be an ordinary validation problem.
    @Test func hugeWorkerCountsAreProblemsNotTraps() throws {
        let planner = Planner(catalog: try .make([("spark", [], [])]))
        let quota = CloudInventory(images: CloudInventory.standard.images, flavors: CloudInventory.standard.flavors,
                                   networks: CloudInventory.standard.networks, quota: QuotaHeadroom(instances: 10, vcpus: 40, ramMB: 100_000))
        for workers in [Int.max, Int.max / 2, 1 << 62, 1_000_001, -1, Int.min] {
            #expect(throws: SpecValidationError.self) {
                try planner.plan(.make(workers: workers, components: ["spark": [:]]), inventory: quota, context: .fixed)
            }
            do {
                _ = try planner.plan(.make(workers: workers), inventory: quota, context: .fixed)
            } catch {
                #expect(error.problems.contains { $0.path == "workers" && $0.problem == "is not allowed" })
                #expect(!error.problems.contains { $0.problem.contains("needs") }, "no quota arithmetic on an invalid count")
            }
        }
        // In range but over the quota: still reported, with the real figures.
        let big = Planner(catalog: try .make([("spark", [], [])]), options: PlanOptions(limits: SpecLimits(maxWorkers: Int.max)))
        do {
            _ = try big.plan(.make(workers: Int.max - 1), inventory: quota, context: .fixed)
            Issue.record("planned \(Int.max - 1) workers")
        } catch {
            #expect(error.problems.contains { $0.problem.contains("instances") })
        }
    }

    /// The store reopens without rewriting its snapshot, cuts a torn last journal line, and keeps appending.
    @Test func storeReopensAfterATornAppend() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-torn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = ClusterSpec.make()
        func record(_ id: String) -> ClusterRecord {
            ClusterRecord(id: id, projectID: "p", projectName: "p", userID: "u", spec: spec, components: [], uiLinks: [],
                          totals: ResourceTotals(instances: 1, vcpus: 1, ramMB: 1, diskGB: 1, floatingIPs: 1, networks: 1,
                                                 routers: 1, securityGroups: 1),
                          stackName: "s-\(id)", createdAt: Date(timeIntervalSince1970: 1_800_000_000))
        }
        do {
            let store = try FileJournalStore(directory: directory)
            try store.put(record("a"))
            try store.put(record("b"))
        }
        let snapshot = directory.appendingPathComponent("clusters.snapshot")
        let before = try FileManager.default.attributesOfItem(atPath: snapshot.path)[.modificationDate] as? Date
        // A crash mid-append leaves half a line.
        let journal = try FileHandle(forWritingTo: directory.appendingPathComponent("clusters.journal"))
        try journal.seekToEnd()
        try journal.write(contentsOf: Data(#"{"id":"c","op":"put","rec"#.utf8))
        try journal.close()
        do {
            let store = try FileJournalStore(directory: directory)
            #expect(try store.loadAll().map(\.id) == ["a", "b"])
            try store.put(record("d"))
            try store.remove(id: "a")
        }
        let after = try FileManager.default.attributesOfItem(atPath: snapshot.path)[.modificationDate] as? Date
        #expect(before == after, "opening the store rewrote the snapshot")
        let reopened = try FileJournalStore(directory: directory)
        #expect(try reopened.loadAll().map(\.id).sorted() == ["b", "d"])
    }

    /// Many records decode in parallel chunks, in order (a later put wins), and a bad line still names its line.
    @Test func largeStoresLoadInOrderAndReportBadLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-many-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try FileJournalStore(directory: directory, compactAfter: 100_000)
            for n in 0..<1500 {
                var r = ClusterRecord(id: "id-\(n % 1000)", projectID: "p", projectName: "p", userID: "u", spec: .make(workers: n % 7),
                                      components: [], uiLinks: [],
                                      totals: ResourceTotals(instances: 1, vcpus: 1, ramMB: 1, diskGB: 1, floatingIPs: 1,
                                                             networks: 1, routers: 1, securityGroups: 1),
                                      stackName: "s", createdAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
                r.stateReason = "write \(n)"
                try store.put(r)
            }
        }
        let loaded = try FileJournalStore(directory: directory).loadAll()
        #expect(loaded.count == 1000)
        #expect(loaded.first { $0.id == "id-7" }?.stateReason == "write 1007")
        #expect(loaded.first { $0.id == "id-999" }?.stateReason == "write 999")
        // Corrupt a line in the middle of the journal.
        let url = directory.appendingPathComponent("clusters.journal")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[1200] = "{not json"
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        #expect {
            _ = try FileJournalStore(directory: directory)
        } throws: { error in
            "\(error)".contains("clusters.journal:1201")
        }
    }
}
