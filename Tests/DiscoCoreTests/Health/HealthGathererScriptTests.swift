import DiscoCore
import Foundation
import Testing

/// The node-side gatherer (`health.py`, written by the base component's script) run here as a master would run it,
/// with a stand-in `systemctl`: what it publishes on the status page is a document DISCO reads and judges, without the
/// nodes' addresses, which only the internal service's copies carry.
@Suite struct HealthGathererScriptTests {
    /// The gatherer with its paths under `root` (`www`, `internal`, `etc`, `peers`, `bin` made).
    func install(in root: String) throws {
        let base = try #require(try ComponentCatalog.builtIn()["base"]?.fragments[.all])
        let start = try #require(base.range(of: "/health.py <<'PY'\n"))
        let end = try #require(base.range(of: "\nPY\n", range: start.upperBound..<base.endIndex))
        let program = String(base[start.upperBound..<end.lowerBound])
        let paths = #""/var/lib/disco/www", "/var/lib/disco/internal", "/etc/disco", "/var/lib/disco""#
        #expect(program.contains(paths))
        let local = program.replacingOccurrences(of: paths, with: #""\#(root)/www", "\#(root)/internal", "\#(root)/etc", "\#(root)""#)
        for folder in ["bin", "www", "internal", "etc", "peers"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try local.write(toFile: root + "/health.py", atomically: true, encoding: .utf8)
    }

    func executable(_ text: String, at path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    @Test func theMastersDocumentIsReadAndJudgedByDisco() async throws {
        let catalog = try ComponentCatalog.builtIn()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disco-health-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try install(in: root)
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
        try executable(systemctl, at: root + "/bin/systemctl")
        try #"{"cluster":"demo","role":"master","index":"0","address":"10.0.0.4","master":"10.0.0.4","port":"8086","user":"nobody","home":"/tmp"}"#
            .write(toFile: root + "/etc/health-node.json", atomically: true, encoding: .utf8)
        try "base disco-status\nhadoop hadoop-namenode\nhadoop hadoop-resourcemanager\nhadoop hadoop-historyserver\n"
            .write(toFile: root + "/etc/health-units", atomically: true, encoding: .utf8)
        try "hadoop url http://127.0.0.1:9/ws/v1/cluster/info\n".write(toFile: root + "/etc/health-probes", atomically: true, encoding: .utf8)
        try "127.0.0.9\n".write(toFile: root + "/peers/worker0", atomically: true, encoding: .utf8)

        let output = try await runBash("PATH='\(root)/bin':$PATH python3 '\(root)/health.py' && cat '\(root)/www/health.json'")
        // The status page's copy names no address; the internal service's copy does.
        #expect(!output.contains("\"address\""), "\(output)")
        let full = try HealthDocument.decode(Data(contentsOf: URL(fileURLWithPath: root + "/internal/health.json")))
        #expect(full.nodes.map(\.address) == ["10.0.0.4", "127.0.0.9"])
        let document = try HealthDocument.decode(Data(output.utf8))
        #expect(document.nodes.map(\.address) == ["", ""])
        #expect(document.cluster == "demo")
        #expect(document.nodes.map(\.name) == ["master", "worker0"])
        #expect(document.nodes[0].disk.map { $0.totalBytes > 0 } == true)
        #expect(document.nodes[1].reachable == false)

        let health = HealthAssessment(workers: 1, components: ["base", "hadoop"], catalog: catalog)
            .assess(document, at: document.checkedAt)
        #expect(health.status == .red)
        let messages = health.reasons.map(\.message)
        #expect(messages.contains("hadoop: hadoop-historyserver is failed (failed) on master"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("hadoop: http://127.0.0.1:9/ws/v1/cluster/info is not answering on master: ") },
                "\(messages)")
        #expect(messages.contains { $0.hasPrefix("worker0 is unreachable from the master: ") }, "\(messages)")
        // The master's own report (node.json) is for the internal service only.
        #expect(FileManager.default.fileExists(atPath: root + "/internal/node.json"))
        #expect(!FileManager.default.fileExists(atPath: root + "/www/node.json"))
    }

    /// A worker publishes its own report for the internal service (not on the status page) and registers its address
    /// with the master over the internal SSH, as the cluster user, once (then every five minutes).
    @Test func aWorkerRegistersWithTheMasterOnce() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disco-health-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try install(in: root)
        try executable("#!/bin/bash\nexit 0\n", at: root + "/bin/systemctl")
        try executable("#!/bin/bash\nprintf '%s\\n' \"$@\" >>'\(root)/runuser.args'\n", at: root + "/bin/runuser")
        try #"{"cluster":"demo","role":"worker","index":"1","address":"10.0.0.6","master":"10.0.0.4","port":"8086","user":"debian","home":"/home/debian"}"#
            .write(toFile: root + "/etc/health-node.json", atomically: true, encoding: .utf8)

        let run = "PATH='\(root)/bin':$PATH python3 '\(root)/health.py'"
        _ = try await runBash("\(run) && \(run)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/www").isEmpty)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let report = try decoder.decode(HealthDocument.Node.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/internal/node.json")))
        #expect(report.name == "worker1")
        #expect(report.index == 1)
        #expect(report.address == "10.0.0.6")
        let arguments = try String(contentsOfFile: root + "/runuser.args", encoding: .utf8).split(separator: "\n")
        #expect(arguments == ["-u", "debian", "--", "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "10.0.0.4",
                              "printf '%s\\n' 10.0.0.6 >\(root)/peers/worker1.tmp && mv -f \(root)/peers/worker1.tmp \(root)/peers/worker1"],
                "registered more than once or not as the cluster user: \(arguments)")
        #expect(FileManager.default.fileExists(atPath: root + "/registered"))
    }
}
