import Dispatch
import Foundation
import Glibc

/// The server's log file: opened for appending (a restart keeps what was there) and reopened on ``reopen()``, which
/// ``reopenOnHangup()`` calls on SIGHUP, so logrotate's `postrotate kill -HUP` moves the log without losing a line.
///
/// The descriptor number stays the same for the life of the value: a reopen opens the path anew and `dup2`s it onto
/// ``fileDescriptor``, so a ``LogWriter`` holding the number writes to the new file from its next line on.
package final class LogFile: @unchecked Sendable {
    /// Why the log file cannot be opened.
    package struct OpenError: Error, Sendable, CustomStringConvertible {
        package var path: String
        package var reason: String
        package var description: String { "cannot open \(path): \(reason)" }
    }

    /// Where lines go; stays open and the same number until ``close()``.
    package let fileDescriptor: Int32
    package let path: String
    private let lock = NSLock()
    private var hangup: (any DispatchSourceSignal)?

    /// Opens `path` for appending, creating it (mode 0600: only disco-sm's user reads what it logs) when missing.
    ///
    /// - Throws: ``OpenError`` naming the path and why: a missing directory, a directory in its place, no permission.
    package init(path: String) throws(OpenError) {
        self.path = path
        fileDescriptor = try Self.open(path)
    }

    /// Opens the path anew and points ``fileDescriptor`` at it. On failure the old file stays in use.
    package func reopen() throws(OpenError) {
        let fresh = try Self.open(path)
        lock.lock()
        defer { lock.unlock() }
        _ = dup2(fresh, fileDescriptor)
        Glibc.close(fresh)
    }

    /// Calls ``reopen()`` on every SIGHUP (which then no longer ends the process); `report` hears the outcome.
    package func reopenOnHangup(report: @escaping @Sendable (Result<Void, OpenError>) -> Void) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "disco.log-reopen"))
        source.setEventHandler { [weak self] in
            guard let self else { return }
            do throws(OpenError) {
                try self.reopen()
                report(.success(()))
            } catch {
                report(.failure(error))
            }
        }
        source.resume()
        lock.lock()
        hangup = source
        lock.unlock()
    }

    /// Stops reacting to SIGHUP and closes the file.
    package func close() {
        lock.lock()
        let source = hangup
        hangup = nil
        lock.unlock()
        source?.cancel()
        Glibc.close(fileDescriptor)
    }

    private static func open(_ path: String) throws(OpenError) -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { return fd }
        let code = errno
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        let reason: String
        if code == ENOENT, !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            reason = "the directory \(directory) does not exist (create it, writable by the user disco-sm runs as)"
        } else if code == EISDIR {
            reason = "it is a directory; give a file name"
        } else if code == EACCES {
            reason = "permission denied (the file or \(directory.isEmpty ? "." : directory) must be writable by the user disco-sm runs as)"
        } else {
            reason = String(cString: strerror(code))
        }
        throw OpenError(path: path, reason: reason)
    }
}

/// Ignores SIGHUP, so that a `kill -HUP` meant for a log reopen never ends a server that logs to standard error.
package func ignoreHangup() {
    signal(SIGHUP, SIG_IGN)
}
