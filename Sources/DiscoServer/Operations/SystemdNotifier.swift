import Foundation
import Glibc
import Synchronization

/// systemd's service notifications (`sd_notify(3)`) without libsystemd: each state is one datagram to the unix socket
/// `$NOTIFY_SOCKET` names (a path, or `@name` in the abstract namespace). Without `NOTIFY_SOCKET` (not started by
/// systemd with `Type=notify`) there is no notifier.
///
/// Sends never block: a datagram the socket cannot take at once is dropped, as libsystemd's would fail.
package final class SystemdNotifier: Sendable {
    /// `$NOTIFY_SOCKET` as given.
    package let socketName: String
    /// Half of `$WATCHDOG_USEC` (systemd's advice), when the watchdog is on for this process.
    package let watchdogInterval: Duration?
    private let address: sockaddr_un
    private let addressLength: socklen_t
    private let fileDescriptor: Int32
    /// Set by ``stopping()``, under which no watchdog ping follows it.
    private let stopped = Mutex(false)

    /// A notifier for `environment`'s `NOTIFY_SOCKET`; `nil` when it is unset, empty or not a usable socket name.
    /// `WATCHDOG_USEC` turns the watchdog on unless `WATCHDOG_PID` names another process.
    package init?(environment: [String: String], pid: Int32 = getpid()) {
        guard let name = environment["NOTIFY_SOCKET"], !name.isEmpty,
              name.hasPrefix("/") || name.hasPrefix("@") else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }  // the abstract namespace: a leading NUL, no terminator
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index] = byte }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        socketName = name
        self.address = address
        addressLength = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (bytes[0] == 0 ? 0 : 1))
        fileDescriptor = fd
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0,
           environment["WATCHDOG_PID"].map({ Int32($0) == pid }) ?? true {
            watchdogInterval = .microseconds(microseconds / 2)
        } else {
            watchdogInterval = nil
        }
    }

    deinit {
        close(fileDescriptor)
    }

    /// Sends `state` (newline-separated `KEY=value` assignments) as one datagram; whether it was sent.
    @discardableResult
    package func notify(_ state: String) -> Bool {
        var address = address
        let sent = state.withCString { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fileDescriptor, text, strlen(text), Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, addressLength)
                }
            }
        }
        return sent >= 0
    }

    /// `READY=1`: the API listens.
    package func ready(status: String) { notify("READY=1\nSTATUS=\(status)\nMAINPID=\(getpid())") }

    /// `STOPPING=1`: the drain has started. No `WATCHDOG=1` is sent after it.
    package func stopping() {
        stopped.withLock { stopped in
            stopped = true
            notify("STOPPING=1\nSTATUS=draining: finishing the requests in flight")
        }
    }

    /// Sends `WATCHDOG=1` every ``watchdogInterval`` until the task is cancelled; returns at once without a watchdog.
    /// Each ping is sent from Swift's cooperative pool, so a pool that no longer runs tasks stops the pings.
    package func keepWatchdogFed() async {
        guard let interval = watchdogInterval else { return }
        while !Task.isCancelled {
            let isStopped = stopped.withLock { stopped in
                if !stopped { notify("WATCHDOG=1") }
                return stopped
            }
            if isStopped { return }
            try? await Task.sleep(for: interval)
        }
    }
}
