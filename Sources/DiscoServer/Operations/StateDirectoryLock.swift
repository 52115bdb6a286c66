import Foundation
import Glibc

/// One disco-sm per state directory: an exclusive `flock` on `<directory>/disco-sm.lock`, held while the process
/// lives. The kernel drops the lock when the process ends however it ends (SIGKILL included), so no stale lock is left
/// behind; the file keeps the holder's PID only so that a second server can name it.
package final class StateDirectoryLock: Sendable {
    /// Why the state directory cannot be locked.
    package enum LockError: Error, Sendable, CustomStringConvertible {
        /// Another process holds the lock; `holder` is the PID it wrote, when it could be read.
        case inUse(directory: String, holder: Int32?)
        case cannotOpen(path: String, reason: String)
        /// The directory exists but other users could read or change it (`mode & 0o077 != 0`), or it is not the
        /// server's own: keys and credentials would be exposed, or planted.
        case unsafe(directory: String, mode: UInt32, owner: UInt32, user: UInt32)
        /// No state directory is configured and neither `XDG_STATE_HOME` nor `HOME` names a default.
        case unset

        package var description: String {
            switch self {
            case let .inUse(directory, holder):
                "the state directory \(directory) is in use by another disco-sm ("
                    + (holder.map { "PID \($0)" } ?? "PID unknown") + "); stop it, or give this one another --state-dir"
            case let .cannotOpen(path, reason): "cannot lock the state directory: \(path): \(reason)"
            case let .unsafe(directory, mode, owner, user) where owner != user:
                "the state directory \(directory) is owned by user \(owner), not by this server's user \(user) (mode "
                    + Self.octal(mode) + "): it holds the clusters' keys and credentials; give it to the server's user "
                    + "(chown \(user) \(directory) && chmod 700 \(directory)) or use another --state-dir"
            case let .unsafe(directory, mode, _, _):
                "the state directory \(directory) has mode \(Self.octal(mode)), open to other users: it holds the clusters' "
                    + "keys and credentials; run chmod 700 \(directory)"
            case .unset:
                "no state directory: neither XDG_STATE_HOME nor HOME is set; give one with --state-dir <path> or "
                    + "[service_manager] state_directory, or set XDG_STATE_HOME or HOME"
            }
        }

        /// Whether the error is the configuration's (exit 78) rather than the file system's.
        package var isConfigurationError: Bool {
            switch self {
            case .unsafe, .unset: true
            case .inUse, .cannotOpen: false
            }
        }

        private static func octal(_ mode: UInt32) -> String {
            "0" + String(mode & 0o7777, radix: 8)
        }
    }

    /// The lock file's name inside the state directory.
    package static let fileName = "disco-sm.lock"

    package let path: String
    private let fileDescriptor: Int32

    /// Creates the directory (mode 0700) if missing, refuses one other users can reach, and takes the lock without
    /// waiting.
    ///
    /// - Throws: ``LockError/inUse(directory:holder:)`` when another process holds it; ``LockError/unsafe(directory:mode:owner:user:)``
    ///   when it exists with group or other permissions or another owner; ``LockError/unset`` for an empty `directory`;
    ///   ``LockError/cannotOpen(path:reason:)`` when the directory or the file cannot be made or opened.
    package init(directory: String) throws(LockError) {
        guard !directory.isEmpty else { throw .unset }
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw .cannotOpen(path: directory, reason: "not a directory") }
            let user = geteuid()
            guard status.st_uid == user, status.st_mode & 0o077 == 0 else {
                throw .unsafe(directory: directory, mode: status.st_mode, owner: status.st_uid, user: user)
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(path: directory, reason: "cannot create the directory (\(error.localizedDescription))")
        }
        // Close-on-exec: a child process (ssh-keygen) must not inherit the lock and outlive the server with it.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            defer { close(fd) }
            guard code == EWOULDBLOCK else { throw .cannotOpen(path: path, reason: String(cString: strerror(code))) }
            throw .inUse(directory: directory, holder: Self.readHolder(fd))
        }
        let text = "\(getpid())\n"
        let written = ftruncate(fd, 0) == 0 ? text.withCString { pwrite(fd, $0, strlen($0), 0) } : -1
        guard written == text.utf8.count else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .cannotOpen(path: path, reason: "cannot write the PID (\(reason))")
        }
        fileDescriptor = fd
    }

    deinit {
        close(fileDescriptor)
    }

    /// The PID the holder wrote; `nil` when the file is empty (it has not written it yet) or unreadable.
    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
