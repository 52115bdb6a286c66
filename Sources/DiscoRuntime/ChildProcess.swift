import Foundation
#if canImport(Glibc)
import CDiscoSystem
import Glibc
#endif

/// Why a program could not be run.
package struct ChildProcessError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

/// Runs a program to its end with `posix_spawn` and `waitpid`, on a thread of its own.
///
/// Not Foundation's `Process`: on Linux its `waitUntilExit` spins a run loop per call and keeps memory of every run
/// (Benchmarks/README.md); a created cluster runs `ssh-keygen` twice. The child gets `/dev/null` as
/// standard input and output, a pipe as standard error (its first 4 KiB are kept), default signal handling and no
/// descriptor of this process beyond the three.
package enum ChildProcess {
    /// How the program ended.
    package enum Termination: Sendable, Hashable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        package var description: String {
            switch self {
            case .exited(let code): "exit \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// The end of a run.
    package struct Outcome: Sendable {
        package var termination: Termination
        /// The start of what the program wrote to standard error (at most ``standardErrorLimit`` bytes).
        package var standardError: String
    }

    /// Bytes of standard error kept; the rest is read and dropped so the child never blocks on a full pipe.
    package static let standardErrorLimit = 4096

    /// Runs `executable` (an absolute path) with `arguments`, off the cooperative pool.
    package static func run(_ executable: String, arguments: [String]) async throws(ChildProcessError) -> Outcome {
        let result: Result<Outcome, ChildProcessError> = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Result { () throws(ChildProcessError) in
                try runBlocking(executable, arguments: arguments)
            }) }
            thread.name = "disco-child-process"
            thread.stackSize = 256 << 10
            thread.start()
        }
        return try result.get()
    }

    /// Runs `executable` and blocks the calling thread until it ends; never call it on a Swift concurrency thread.
    package static func runBlocking(_ executable: String, arguments: [String]) throws(ChildProcessError) -> Outcome {
        #if canImport(Glibc)
        var pipeEnds: [Int32] = [-1, -1]
        guard disco_pipe_cloexec(&pipeEnds) == 0 else { throw failure("cannot make a pipe for", executable) }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        var readEndOpen = true
        defer { if readEndOpen { close(readEnd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)  // ignored here (sockets), and an ignored signal survives exec
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(writeEnd)
        guard spawned == 0 else { throw failure("cannot start", executable, errno: spawned) }

        var kept: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                kept.append(contentsOf: chunk[..<min(count, standardErrorLimit - kept.count)])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(readEnd)
        readEndOpen = false

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw failure("cannot wait for", executable) }
        }
        let termination: Termination = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        return Outcome(termination: termination, standardError: String(decoding: kept, as: UTF8.self))
        #else
        throw ChildProcessError(message: "running \(executable): child processes are supported on Linux only")
        #endif
    }

    #if canImport(Glibc)
    /// glibc ≥ 2.34's `posix_spawn_file_actions_addclosefrom_np` (not in the Glibc module map).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Every descriptor from 3 up is closed in the child; without `addclosefrom_np`, the ones open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    private static func failure(_ what: String, _ executable: String, errno code: Int32 = errno) -> ChildProcessError {
        ChildProcessError(message: "\(what) \(executable): \(String(cString: strerror(code)))")
    }
    #endif
}
