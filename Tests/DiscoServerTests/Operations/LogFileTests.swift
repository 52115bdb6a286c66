import Foundation
import Glibc
import Testing
@testable import DiscoServer

/// The log file holds what clients sent and what went wrong: only disco-sm's user reads it.
@Suite struct LogFileTests {
    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test func theLogFileIsCreatedAndReopenedOwnerOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-logfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sm.log").path
        let previous = umask(0o022)
        defer { umask(previous) }
        let file = try LogFile(path: path)
        defer { file.close() }
        #expect(mode(path) == 0o600, "created \(String(mode(path), radix: 8))")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try file.reopen()
        #expect(mode(path) == 0o600, "reopened \(String(mode(path), radix: 8))")
    }
}
