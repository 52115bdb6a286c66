import Foundation
import Testing
import DiscoCore
@testable import DiscoRuntime

#if os(Linux)
@Suite("Child process")
struct ChildProcessTests {
    @Test func exitCodeAndStandardErrorComeBack() async throws {
        let outcome = try await ChildProcess.run("/bin/sh", arguments: ["-c", "echo 'no such flag: -z' >&2; exit 3"])
        #expect(outcome.termination == .exited(3))
        #expect(outcome.standardError == "no such flag: -z\n")
    }

    @Test func aSignalIsReportedAsSuch() async throws {
        let outcome = try await ChildProcess.run("/bin/sh", arguments: ["-c", "kill -TERM $$"])
        #expect(outcome.termination == .signaled(SIGTERM))
        #expect(outcome.termination.description == "killed by signal 15")
    }

    @Test func aMissingProgramIsANamedError() async {
        let error = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess.run("/nonexistent/ssh-keygen", arguments: [])
        }
        #expect(error?.message == "cannot start /nonexistent/ssh-keygen: No such file or directory")
    }

    @Test func aLoudChildNeverBlocksAndOnlyTheStartIsKept() async throws {
        // 1 MiB to standard error: more than a pipe holds, so the parent must drain while waiting.
        let outcome = try await ChildProcess.run("/bin/sh", arguments: ["-c", "head -c 1048576 /dev/zero | tr '\\0' x >&2"])
        #expect(outcome.termination == .exited(0))
        #expect(outcome.standardError.utf8.count == ChildProcess.standardErrorLimit)
        #expect(outcome.standardError.allSatisfy { $0 == "x" })
    }

    @Test func theChildGetsNoDescriptorOfOursAndDefaultSigpipe() async throws {
        let fd = open("/dev/null", O_RDONLY)  // not close-on-exec
        #expect(fd > 2)
        defer { close(fd) }
        // As disco-sm does; left so (putting back the default could kill a parallel test writing to a closed socket).
        signal(SIGPIPE, SIG_IGN)
        let outcome = try await ChildProcess.run("/bin/sh", arguments: ["-c", """
            ls /proc/self/fd >&2; grep '^SigIgn' /proc/self/status >&2
            """])
        #expect(outcome.termination == .exited(0))
        let lines = outcome.standardError.split(separator: "\n")
        // ls itself opens one descriptor for the listing (3); nothing of this process's reaches the child.
        let descriptors = lines.compactMap { Int32($0) }
        #expect(!descriptors.contains(fd), "inherited \(fd): \(descriptors)")
        #expect(descriptors.allSatisfy { $0 <= 3 }, "\(descriptors)")
        let ignored = try #require(lines.first { $0.hasPrefix("SigIgn") }).split(separator: "\t").last.map(String.init) ?? ""
        let mask = UInt64(ignored.trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
        #expect(mask & (1 << (UInt64(SIGPIPE) - 1)) == 0, "SIGPIPE ignored in the child: SigIgn \(ignored)")
    }
}

@Suite("ssh-keygen key pairs")
struct SSHKeygenGeneratorTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")))
    func makesAnEd25519PairAndLeavesNoFileBehind() async throws {
        // A folder of its own: other tests make keys in the shared temporary directory at the same time.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-keygen-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pair = try await SSHKeygenGenerator(temporaryDirectory: directory.path).makeKeyPair(comment: "disco-test@cluster")
        #expect(pair.publicKey.hasPrefix("ssh-ed25519 AAAA"))
        #expect(pair.publicKey.hasSuffix(" disco-test@cluster"))
        #expect(pair.privateKey.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func aMissingProgramSaysWhatToInstall() async {
        let error = await #expect(throws: KeyGenerationError.self) {
            try await SSHKeygenGenerator(executable: "/nonexistent/ssh-keygen").makeKeyPair(comment: "x")
        }
        #expect(error?.description == "SSH key generation failed: /nonexistent/ssh-keygen not found; install openssh-client")
    }

    @Test func aFailingRunReportsItsExitAndMessage() async {
        // /bin/false ignores the arguments and exits 1 without a word.
        let error = await #expect(throws: KeyGenerationError.self) {
            try await SSHKeygenGenerator(executable: "/bin/false").makeKeyPair(comment: "x")
        }
        #expect(error?.message == "exit 1: ")
    }
}
#endif
