import Foundation
import Testing
@testable import DiscoCore

@Suite struct StateFormatTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-format-\(UUID().uuidString)")
    var formatFile: URL { directory.appendingPathComponent("FORMAT") }

    func record(_ id: String) -> ClusterRecord {
        ClusterRecord(id: id, projectID: "p1", projectName: "demo", userID: "u1", spec: .make(workers: 1),
                      components: [ResolvedComponent(name: "base", version: "1", reason: .implicit)], uiLinks: [],
                      totals: ResourceTotals(instances: 1, vcpus: 1, ramMB: 1, diskGB: 1, floatingIPs: 1, networks: 1,
                                             routers: 1, securityGroups: 1),
                      stackName: "disco-\(id)", createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func formatText() throws -> String { try String(contentsOf: formatFile, encoding: .utf8) }

    @Test func aNewDirectoryGetsTheCurrentFormat() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJournalStore(directory: directory)
        #expect(store.formatFound == StateFormat.current)
        #expect(try formatText() == "disco-state-format \(StateFormat.current)\n")
        let mode = try FileManager.default.attributesOfItem(atPath: formatFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aDirectoryFromBeforeVersionsIsMigratedWithItsRecords() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileJournalStore(directory: directory).put(record("a"))
        try FileManager.default.removeItem(at: formatFile) // as an older DISCO left it
        let reopened = try FileJournalStore(directory: directory)
        #expect(reopened.formatFound == 0)
        #expect(try reopened.loadAll().map(\.id) == ["a"])
        #expect(try formatText() == "disco-state-format \(StateFormat.current)\n")
        #expect(try FileJournalStore(directory: directory).formatFound == StateFormat.current)
    }

    @Test func aNewerFormatIsRefusedAndLeftAsItIs() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileJournalStore(directory: directory).put(record("a"))
        let journal = directory.appendingPathComponent("clusters.journal")
        let before = try Data(contentsOf: journal)
        try Data("disco-state-format \(StateFormat.current + 1)\n".utf8).write(to: formatFile)
        #expect {
            _ = try FileJournalStore(directory: directory)
        } throws: { error in
            let text = "\(error)"
            return text.contains(formatFile.path) && text.contains("newer DISCO (format \(StateFormat.current + 1)")
                && text.contains("reads formats up to \(StateFormat.current)")
        }
        #expect(try Data(contentsOf: journal) == before)
        #expect(try formatText() == "disco-state-format \(StateFormat.current + 1)\n")
    }

    @Test(arguments: ["", "2", "disco-state-format two", "disco-state-format 0", "something else 1"])
    func anUnreadableFormatFileIsNamed(content: String) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: formatFile)
        #expect {
            _ = try FileJournalStore(directory: directory)
        } throws: { error in
            "\(error)".contains("\(formatFile.path): is not a state format file (expected 'disco-state-format <number>'")
        }
    }
}
