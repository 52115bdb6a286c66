import Foundation
import Testing
@testable import DiscoCore

/// The store's record writer must write what `JSONEncoder` writes, byte for byte.
@Suite struct StoredRecordWritingTests {
    let encoder = StoreJSON.encoder

    func written(_ entry: FileJournalStore.Entry) -> String {
        var writer = JSONWriter()
        entry.write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func encoded(_ entry: FileJournalStore.Entry) throws -> String {
        String(decoding: try encoder.encode(entry), as: UTF8.self)
    }

    @Test func fullyPopulatedRecordsAreWrittenAsJSONEncoderWritesThem() throws {
        for n in 0..<50 {
            var record = ClusterRecord.sample(n)
            // Fractions of a second are dropped by both; dictionary keys of every kind are sorted alike.
            record.updatedAt = Date(timeIntervalSince1970: 1_767_225_600.999 + Double(n) * 86_399.5)
            record.outputs = ["B": "1", "a": "2", "_x": "3", "ü": "4", "Z9": "5", "z10": "6", "control": "\u{1}\u{1f}\u{7f}"]
            let entry = FileJournalStore.Entry(op: "put", id: record.id, record: record)
            #expect(written(entry) == (try encoded(entry)))
        }
    }

    @Test func nilOptionalsAreLeftOutAsJSONEncoderDoes() throws {
        let spec = ClusterSpec(name: "s", master: NodeSpec(image: "i", flavor: "f"), worker: NodeSpec(image: "i", flavor: "f"),
                               workers: 0, externalNetwork: "public")
        let fresh = ClusterRecord(id: "x", projectID: "p", projectName: "n", userID: "u", spec: spec, components: [], uiLinks: [],
                                  totals: ResourceTotals(instances: 0, vcpus: 0, ramMB: 0, diskGB: 0, floatingIPs: 0, networks: 0,
                                                         routers: 0, securityGroups: 0),
                                  stackName: "s", createdAt: Date(timeIntervalSince1970: -1.5))
        for entry in [FileJournalStore.Entry(op: "put", id: "x", record: fresh), FileJournalStore.Entry(op: "remove", id: "x", record: nil)] {
            #expect(written(entry) == (try encoded(entry)))
        }
    }

    /// Gregorian dates from 1600 on (Foundation switches to the Julian calendar before 1582; records never go there).
    @Test func datesAcrossCenturiesAndLeapDays() throws {
        for seconds in [0, 951_782_400, 951_868_799, 4_102_444_800, -11_676_096_000, 253_402_300_799, -0.25] as [Double] {
            var writer = JSONWriter()
            writer.date(Date(timeIntervalSince1970: seconds))
            let expected = String(decoding: try encoder.encode(Date(timeIntervalSince1970: seconds)), as: UTF8.self)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(seconds)")
        }
    }
}
