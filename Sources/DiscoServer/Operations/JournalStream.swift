import Glibc

/// Whether a descriptor is connected to systemd's journal: systemd sets `JOURNAL_STREAM` to `<device>:<inode>` of the
/// stream it gives a service, and the descriptor is that stream when `fstat` finds the same pair (a redirection in
/// between makes it something else).
package enum JournalStream {
    package static func isConnected(_ fileDescriptor: Int32, environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(fileDescriptor, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
