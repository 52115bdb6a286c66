import Foundation
import Testing

/// etc/systemd/disco-sm.service fits the binary: notify type, the state directory systemd makes is the one disco-sm
/// locks, the exit statuses a restart cannot cure are the ones disco-sm uses, and systemd reads the file without a
/// complaint.
@Suite struct SystemdUnitTests {
    static let unit = ServerProcess.repositoryRoot.appendingPathComponent("etc/systemd/disco-sm.service")

    /// `key=value` lines of the unit (the last value of a key that repeats).
    func settings() throws -> [String: String] {
        var settings: [String: String] = [:]
        for line in try String(contentsOf: Self.unit, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            settings[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return settings
    }

    @Test func theUnitNotifiesLocksTheStateDirectoryAndIsHardened() throws {
        let unit = try settings()
        #expect(unit["Type"] == "notify" && unit["NotifyAccess"] == "main")
        #expect(unit["WatchdogSec"] != nil)
        let exec = unit["ExecStart"]?.split(separator: " ").map(String.init) ?? []
        #expect(exec.first?.hasSuffix("/disco-sm") == true, "\(exec)")
        let stateFlag = exec.firstIndex(of: "--state-dir")
        #expect(stateFlag.map { exec[$0 + 1] } == "/var/lib/" + (unit["StateDirectory"] ?? "?"), "\(exec)")
        // 64 usage, 75 state directory in use, 78 configuration (ServerMain).
        #expect(Set(unit["RestartPreventExitStatus"]?.split(separator: " ").map(String.init) ?? []) == ["64", "75", "78"])
        for (key, value) in ["NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
                             "CapabilityBoundingSet": "", "User": "disco"] {
            #expect(unit[key] == value, "\(key)")
        }
    }

    @Test func systemdReadsTheUnitWithoutAComplaint() async throws {
        let analyze = "/usr/bin/systemd-analyze"
        guard FileManager.default.isExecutableFile(atPath: analyze) else { return }  // systemd is not installed here
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // verify checks that ExecStart's binary exists: point it at the one built.
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/disco-sm", with: ServerProcess.binaries.appendingPathComponent("disco-sm").path)
        let copy = folder.appendingPathComponent("disco-sm.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        let (status, output) = try await runCommand(analyze, ["verify", copy.path])
        #expect(status == 0, "\(output)")
        #expect(!output.contains("disco-sm.service"), "\(output)")
    }
}
