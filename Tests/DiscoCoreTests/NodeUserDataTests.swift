import Foundation
import Testing
@testable import DiscoCore

/// A packed script, once Heat and the resource group have filled in their words, unpacks on the node to exactly the
/// script Heat would have filled in unpacked.
@Suite struct NodeUserDataTests {
    /// What Heat's `str_replace` and the resource group's `%index%` do to a user data's text.
    static func heatFill(_ text: String) -> String {
        text.replacingOccurrences(of: ScriptComposer.masterIPToken, with: "10.42.0.5")
            .replacingOccurrences(of: ScriptComposer.signalToken,
                                  with: #"{"auth_url": "http://keystone:5000/v3", "password": "p\"w\\x", "user_id": "u1"}"#)
            .replacingOccurrences(of: ScriptComposer.indexToken, with: "3")
    }

    @Test(arguments: [NodeRole.master, .workers])
    func unpacksToTheScriptHeatWouldHaveFilledIn(role: NodeRole) async throws {
        let script = """
            #!/bin/bash
            DISCO_MASTER_IP='\(ScriptComposer.masterIPToken)'
            DISCO_NODE_INDEX='\(ScriptComposer.indexToken)'
            read -r -d '' DISCO_WC_SIGNAL <<'DISCO_WC_SIGNAL_END' || true
            \(ScriptComposer.signalToken)
            DISCO_WC_SIGNAL_END
            echo 'ünïcode …'

            """ + (0 ..< 3_000).map { "disco_log 'line \($0) of the install'\n" }.joined()
        #expect(script.utf8.count > UserDataLimit.maxScriptBytes)
        let userData = NodeUserData.make(script: script, role: role)
        #expect(userData.utf8.count < script.utf8.count / 3, "\(userData.utf8.count) bytes")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-unpack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = role == .master ? "master" : "worker"
        // The node's program, writing into a scratch folder and stopping before it runs the script.
        let program = Self.heatFill(userData)
            .replacingOccurrences(of: "/var/lib/disco-install", with: directory.path)
            .replacingOccurrences(of: "exec /bin/bash \(directory.path)/\(name).sh", with: "echo unpacked")
        #expect(try await runBash(program) == "unpacked\n")
        let unpacked = directory.appendingPathComponent("\(name).sh")
        #expect(try String(contentsOf: unpacked, encoding: .utf8) == Self.heatFill(script))
        let mode = try FileManager.default.attributesOfItem(atPath: unpacked.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
        let directoryMode = try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? NSNumber
        #expect(directoryMode?.intValue == 0o700)
    }

    @Test func theNodeRunsTheUnpackedScript() async throws {
        let script = "#!/bin/bash\necho \"ran with index \(ScriptComposer.indexToken) as $0\"\n"
            + String(repeating: ": padding\n", count: 5_000)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-unpack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = Self.heatFill(NodeUserData.make(script: script, role: .workers))
            .replacingOccurrences(of: "/var/lib/disco-install", with: directory.path)
        #expect(try await runBash(program) == "ran with index 3 as \(directory.path)/worker.sh\n")
    }
}
