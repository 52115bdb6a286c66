import Foundation
import Glibc
import Testing
@testable import DiscoServer

/// Issue 22, finding 9: the state directory holds every cluster's keys and credentials; one other users can reach is
/// refused, naming the fix, and a new one is made 0700.
@Suite struct StateDirectoryPermissionTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-perm-\(UUID().uuidString)")

    func mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    @Test func aNewStateDirectoryIsMade0700() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        let lock = try StateDirectoryLock(directory: state)
        #expect(mode(state) == 0o700)
        withExtendedLifetime(lock) {}
    }

    @Test(arguments: [0o750 as mode_t, 0o705, 0o777, 0o710])
    func aStateDirectoryOthersCanReachIsRefusedNamingItsModeAndTheFix(permissions: mode_t) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        #expect(chmod(state, permissions) == 0)
        do {
            _ = try StateDirectoryLock(directory: state)
            Issue.record("a state directory of mode \(String(permissions, radix: 8)) was accepted")
        } catch {
            guard case .unsafe = error else {
                Issue.record("\(error)")
                return
            }
            #expect(error.isConfigurationError)
            #expect(error.description == "the state directory \(state) has mode 0\(String(permissions, radix: 8)), open to other users: "
                    + "it holds the clusters' keys and credentials; run chmod 700 \(state)")
        }
        #expect(!FileManager.default.fileExists(atPath: state + "/" + StateDirectoryLock.fileName), "the lock file was made")
        #expect(chmod(state, 0o700) == 0)
        let lock = try StateDirectoryLock(directory: state)
        withExtendedLifetime(lock) {}
    }

    @Test func noStateDirectoryIsRefusedNamingTheWaysToGiveOne() {
        #expect {
            _ = try StateDirectoryLock(directory: "")
        } throws: { error in
            guard let error = error as? StateDirectoryLock.LockError, case .unset = error else { return false }
            return error.isConfigurationError && error.description.contains("--state-dir") && error.description.contains("XDG_STATE_HOME")
                && error.description.contains("HOME")
        }
    }
}
