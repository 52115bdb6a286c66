public import DiscoCore
import Foundation

/// Makes Ed25519 key pairs with `ssh-keygen` in a private temporary folder, removed afterwards.
public struct SSHKeygenGenerator: SSHKeyGenerating {
    public var executable: String
    /// The folder each run's private folder is made in; `nil`: the system's temporary directory.
    public var temporaryDirectory: String?

    public init(executable: String = "/usr/bin/ssh-keygen", temporaryDirectory: String? = nil) {
        self.executable = executable
        self.temporaryDirectory = temporaryDirectory
    }

    public func makeKeyPair(comment: String) async throws -> SSHKeyPair {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw KeyGenerationError(message: "\(executable) not found; install openssh-client")
        }
        let parent = temporaryDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? FileManager.default.temporaryDirectory
        let folder = parent.appendingPathComponent("disco-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("id_ed25519")
        let outcome: ChildProcess.Outcome
        do {
            outcome = try await ChildProcess.run(executable, arguments: ["-q", "-t", "ed25519", "-N", "", "-C", comment,
                                                                         "-f", keyFile.path])
        } catch {
            throw KeyGenerationError(message: error.message)
        }
        guard outcome.termination == .exited(0) else {
            throw KeyGenerationError(message: "\(outcome.termination): \(outcome.standardError.prefix(200))")
        }
        let privateKey = try String(contentsOf: keyFile, encoding: .utf8)
        let publicKey = try String(contentsOf: keyFile.appendingPathExtension("pub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return SSHKeyPair(publicKey: publicKey, privateKey: privateKey)
    }
}

/// Why a key pair could not be made.
public struct KeyGenerationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "SSH key generation failed: \(message)" }
}
