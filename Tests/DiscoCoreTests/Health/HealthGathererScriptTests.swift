import DiscoCore
import Foundation
import Testing

/// The node-side gatherer (`health.py`, written by the base component's script) run here as a master would run it,
/// with a stand-in `systemctl`: what it publishes is a document DISCO reads and judges.
@Suite struct HealthGathererScriptTests {
    @Test func theMastersDocumentIsReadAndJudgedByDisco() async throws {
        let catalog = try ComponentCatalog.builtIn()
        let base = try #require(catalog["base"]?.fragments[.all])
        let start = try #require(base.range(of: "<<'PY'\n"))
        let end = try #require(base.range(of: "\nPY\n", range: start.upperBound..<base.endIndex))
        let program = String(base[start.upperBound..<end.lowerBound])

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disco-health-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = #""/var/lib/disco/www", "/etc/disco", "/var/lib/disco/peers""#
        #expect(program.contains(paths))
        let local = program.replacingOccurrences(of: paths, with: #""\#(root)/www", "\#(root)/etc", "\#(root)/peers""#)
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        for folder in ["www", "etc", "peers"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try local.write(toFile: root + "/health.py", atomically: true, encoding: .utf8)
        // systemctl show -p … -- UNIT…: one block per unit; hadoop-historyserver has failed.
        let systemctl = """
            #!/bin/bash
            shift 4
            first=1
            for u in "$@"; do
              [[ $first == 1 ]] || echo
              first=0
              if [[ $u == hadoop-historyserver.service ]]; then printf 'LoadState=loaded\\nActiveState=failed\\nSubState=failed\\n'
              else printf 'LoadState=loaded\\nActiveState=active\\nSubState=running\\n'; fi
            done
            """
        try systemctl.write(toFile: root + "/bin/systemctl", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/bin/systemctl")
        try #"{"cluster":"demo","role":"master","index":"0","address":"10.0.0.4","master":"10.0.0.4","user":"nobody","home":"/tmp"}"#
            .write(toFile: root + "/etc/health-node.json", atomically: true, encoding: .utf8)
        try "base disco-status\nhadoop hadoop-namenode\nhadoop hadoop-resourcemanager\nhadoop hadoop-historyserver\n"
            .write(toFile: root + "/etc/health-units", atomically: true, encoding: .utf8)
        try "hadoop url http://127.0.0.1:9/ws/v1/cluster/info\n".write(toFile: root + "/etc/health-probes", atomically: true, encoding: .utf8)
        try "127.0.0.9\n".write(toFile: root + "/peers/worker0", atomically: true, encoding: .utf8)

        let output = try await runBash("PATH='\(root)/bin':$PATH python3 '\(root)/health.py' && cat '\(root)/www/health.json'")
        let document = try HealthDocument.decode(Data(output.utf8))
        #expect(document.cluster == "demo")
        #expect(document.nodes.map(\.name) == ["master", "worker0"])
        #expect(document.nodes[0].disk.map { $0.totalBytes > 0 } == true)
        #expect(document.nodes[1].reachable == false)

        let health = HealthAssessment(workers: 1, components: ["base", "hadoop"], catalog: catalog)
            .assess(document, at: document.checkedAt)
        #expect(health.status == .red)
        let messages = health.reasons.map(\.message)
        #expect(messages.contains("hadoop: hadoop-historyserver is failed (failed) on master (10.0.0.4)"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("hadoop: http://127.0.0.1:9/ws/v1/cluster/info is not answering on master (10.0.0.4): ") },
                "\(messages)")
        #expect(messages.contains { $0.hasPrefix("worker0 (127.0.0.9) is unreachable from the master: ") }, "\(messages)")
        // The worker's own report (node.json) is published beside it.
        #expect(FileManager.default.fileExists(atPath: root + "/www/node.json"))
    }
}
