import DiscoCore
import Foundation
import Testing

/// Every judgement ``HealthAssessment`` makes from a health document, on a Hadoop + Spark cluster of two workers.
@Suite struct HealthAssessmentTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let catalog = try! ComponentCatalog.builtIn()
    var assessment: HealthAssessment {
        HealthAssessment(workers: 2, components: ["base", "hadoop", "spark"], catalog: catalog)
    }

    /// A document where everything declared runs.
    func healthy() -> HealthDocument {
        func node(_ name: String, role: String, index: Int, units: [(String, String)]) -> HealthDocument.Node {
            HealthDocument.Node(name: name, role: role, index: index, address: "10.0.0.\(10 + index + (role == "master" ? 0 : 1))",
                                checkedAt: now,
                                daemons: units.map { .init(component: $0.0, unit: $0.1, state: "active", subState: "running") },
                                probes: role == "master" ? [.init(component: "hadoop", target: "http://127.0.0.1:8088/ws/v1/cluster/info", ok: true)] : [],
                                disk: .init(totalBytes: 100 << 30, freeBytes: 50 << 30),
                                memory: .init(totalBytes: 8 << 30, availableBytes: 4 << 30))
        }
        let master = node("master", role: "master", index: 0, units: [
            ("base", "disco-status"), ("base", "disco-internal"), ("hadoop", "hadoop-namenode"),
            ("hadoop", "hadoop-resourcemanager"), ("hadoop", "hadoop-historyserver"), ("spark", "spark-history")])
        let workers = (0..<2).map { node("worker\($0)", role: "worker", index: $0, units: [
            ("base", "disco-status"), ("base", "disco-internal"), ("hadoop", "hadoop-datanode"), ("hadoop", "hadoop-nodemanager")]) }
        return HealthDocument(cluster: "demo", checkedAt: now, nodes: [master] + workers)
    }

    @Test func everythingRunningIsGreenWithEveryNodeAndDaemon() {
        let health = assessment.assess(healthy(), at: now)
        #expect(health.status == .green)
        #expect(health.reasons.isEmpty)
        #expect(health.nodes.map(\.name) == ["master", "worker0", "worker1"])
        #expect(health.nodes[0].daemons.map(\.unit) == ["disco-status", "disco-internal", "hadoop-namenode",
                                                        "hadoop-resourcemanager", "hadoop-historyserver", "spark-history"])
        #expect(health.nodes[1].diskFreePercent == 50)
    }

    @Test func aWorkersDaemonDownIsYellowNamingComponentDaemonAndNode() {
        var document = healthy()
        document.nodes[2].daemons[2].state = "failed"
        document.nodes[2].daemons[2].subState = "failed"
        let health = assessment.assess(document, at: now)
        #expect(health.status == .yellow)
        #expect(health.reasons == [HealthReason(severity: .yellow, component: "hadoop", daemon: "hadoop-datanode", node: "worker1",
                                                message: "hadoop: hadoop-datanode is failed (failed) on worker1 (10.0.0.12)")])
        #expect(health.nodes[2].status == .yellow)
        #expect(health.nodes[1].status == .green)
    }

    /// The public document names no address: the nodes and reasons take them from the stack's outputs; a worker the
    /// outputs do not name (or that has not reported) stays without one.
    @Test func addressesTheDocumentLeavesOutComeFromTheStacksOutputs() {
        var document = healthy()
        for index in document.nodes.indices { document.nodes[index].address = "" }
        document.nodes[2].daemons[2].state = "failed"
        document.nodes[2].daemons[2].subState = "failed"
        var judge = assessment
        judge.knownAddresses = ["master": "10.1.0.4", "worker1": "10.1.0.6"]
        let health = judge.assess(document, at: now)
        #expect(health.nodes.map(\.address) == ["10.1.0.4", "", "10.1.0.6"])
        #expect(health.reasonText == "hadoop: hadoop-datanode is failed (failed) on worker1 (10.1.0.6)")
        // An address the document gives is kept.
        document.nodes[0].address = "10.0.0.10"
        #expect(judge.assess(document, at: now).nodes[0].address == "10.0.0.10")
    }

    @Test func aMasterDaemonDownIsRed() {
        var document = healthy()
        document.nodes[0].daemons[2].state = "inactive"
        document.nodes[0].daemons[2].subState = "dead"
        let health = assessment.assess(document, at: now)
        #expect(health.status == .red)
        #expect(health.reasons.first?.daemon == "hadoop-namenode")
        #expect(health.reasonText == "hadoop: hadoop-namenode is inactive (dead) on master (10.0.0.10)")
    }

    @Test func aDeclaredDaemonTheNodeDoesNotHaveIsMissing() {
        var document = healthy()
        document.nodes[0].daemons.removeAll { $0.unit == "spark-history" }
        let health = assessment.assess(document, at: now)
        #expect(health.status == .red)
        #expect(health.reasonText == "spark: spark-history is missing on master (10.0.0.10)")
    }

    @Test func aFailingReadinessProbeIsRed() {
        var document = healthy()
        document.nodes[0].probes[0] = .init(component: "hadoop", target: "http://127.0.0.1:8088/ws/v1/cluster/info", ok: false,
                                            error: "connection refused")
        let health = assessment.assess(document, at: now)
        #expect(health.status == .red)
        #expect(health.reasonText == "hadoop: http://127.0.0.1:8088/ws/v1/cluster/info is not answering on master (10.0.0.10): connection refused")
    }

    @Test func aWorkerThatIsUnreachableOrHasNotReportedIsYellow() {
        var document = healthy()
        document.nodes[1] = .init(name: "worker0", role: "worker", index: 0, address: "10.0.0.11", reachable: false, error: "timed out")
        document.nodes.remove(at: 2)
        let health = assessment.assess(document, at: now)
        #expect(health.status == .yellow)
        #expect(health.reasons.map(\.message) == ["worker0 (10.0.0.11) is unreachable from the master: timed out",
                                                   "worker1 has not reported to the master"])
    }

    @Test func aNodeLeftByAScaleDownIsNotJudged() {
        var document = healthy()
        var gone = document.nodes[2]
        gone.index = 2
        gone.reachable = false
        document.nodes.append(gone)
        #expect(assessment.assess(document, at: now).status == .green)
    }

    @Test func aWorkersFullDiskIsYellowAndTheMastersIsRed() {
        var document = healthy()
        document.nodes[1].disk = .init(totalBytes: 100 << 30, freeBytes: 5 << 30)
        #expect(assessment.assess(document, at: now).status == .yellow)
        #expect(assessment.assess(document, at: now).reasonText == "disk / on worker0 (10.0.0.11) is 95 % full (5120 MiB free)")
        document.nodes[0].disk = .init(totalBytes: 100 << 30, freeBytes: 1 << 30)
        #expect(assessment.assess(document, at: now).status == .red)
    }

    @Test func memoryAlmostAllUsedIsYellow() {
        var document = healthy()
        document.nodes[2].memory = .init(totalBytes: 100 << 20, availableBytes: 3 << 20)
        let health = assessment.assess(document, at: now)
        #expect(health.status == .yellow)
        #expect(health.reasonText == "memory on worker1 (10.0.0.12) is 97 % used (3 MiB available)")
    }

    @Test func aDocumentTheMasterStoppedWritingIsRed() {
        let health = assessment.assess(healthy(), at: now.addingTimeInterval(HealthAssessment.staleAfterSeconds + 60))
        #expect(health.status == .red)
        #expect(health.reasonText.hasPrefix("the master's health gatherer has not written for 360 s"))
    }

    @Test func readFailuresTurnRedOnlyAfterThreeInARow() {
        let green = assessment.assess(healthy(), at: now)
        let once = assessment.unreadable("timed out", previous: green, at: now.addingTimeInterval(60))
        #expect(once.status == .green)
        #expect(once.failedReads == 1)
        #expect(!once.differs(from: green))
        let twice = assessment.unreadable("timed out", previous: once, at: now.addingTimeInterval(120))
        #expect(twice.status == .green)
        let thrice = assessment.unreadable("timed out", previous: twice, at: now.addingTimeInterval(180))
        #expect(thrice.status == .red)
        #expect(thrice.reasonText == "the master's health document could not be read (3 checks in a row): timed out")
        // A good read resets the count.
        #expect(assessment.assess(healthy(), at: now.addingTimeInterval(240)).failedReads == 0)
        // Without an earlier judgement the first failure says so.
        let first = assessment.unreadable("connection refused", previous: nil, at: now)
        #expect(first.status == .yellow)
        #expect(first.reasonText == "the master's health document could not be read (1 check in a row): connection refused")
    }

    @Test func documentErrorsSayWhatIsWrong() throws {
        #expect(throws: HealthDocumentError("the health document has version 2; DISCO reads version 1")) {
            try HealthDocument.decode(Data(#"{"version":2,"cluster":"c","checkedAt":"2026-12-04T00:00:00Z","nodes":[]}"#.utf8))
        }
        #expect(throws: HealthDocumentError("the health document lacks 'nodes[0].role'")) {
            try HealthDocument.decode(Data(#"{"version":1,"cluster":"c","checkedAt":"2026-12-04T00:00:00Z","nodes":[{"name":"master"}]}"#.utf8))
        }
        #expect(throws: HealthDocumentError("the health document is not valid JSON")) {
            try HealthDocument.decode(Data("<html>".utf8))
        }
        let document = try HealthDocument.decode(Data(#"{"version":1,"cluster":"c","checkedAt":"2026-12-04T00:00:00Z","nodes":[{"name":"master","role":"master"}]}"#.utf8))
        #expect(document.nodes.first?.reachable == true)
    }

    /// The document is the cluster's word: terminal escapes and line breaks in it never reach a reason.
    @Test func controlCharactersInTheDocumentNeverReachAReason() throws {
        let json = #"{"version":1,"cluster":"c","checkedAt":"2026-12-04T00:00:00Z","nodes":[{"name":"master","role":"master","address":"10.0.0.4","probes":[{"component":"hadoop","target":"http://x","ok":false,"error":"\u001b[2J\u001b]0;owned\u0007gone\nforged line"}]}]}"#
        let document = try HealthDocument.decode(Data(json.utf8))
        #expect(document.nodes[0].probes[0].error == "[2J]0;ownedgoneforged line")
        let health = HealthAssessment(workers: 0, daemons: []).assess(document, at: document.checkedAt)
        #expect(!health.reasonText.unicodeScalars.contains { $0.value < 0x20 }, "\(health.reasonText)")
    }

    /// Every unit a component's scripts start with `disco_service` is declared in its manifest's `daemons`, and every
    /// declared one is started by a script: what the monitor expects is what the nodes run.
    @Test func declaredDaemonsAreTheUnitsTheScriptsStart() throws {
        for name in catalog.names {
            let component = try #require(catalog[name])
            var started: Set<String> = []
            for body in component.fragments.values {
                for line in body.split(separator: "\n") {
                    guard let range = line.range(of: "disco_service ") else { continue }
                    let unit = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                    started.insert(unit)
                }
            }
            let declared = Set(component.manifest.daemons.map(\.unit))
            #expect(started == declared, "\(name): scripts start \(started.sorted()), the manifest declares \(declared.sorted())")
        }
    }
}
