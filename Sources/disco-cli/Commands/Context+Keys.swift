#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiscoCore
import Foundation

extension Context {
    /// Writes `contents` to `path` with `mode`, never following a symlink; with `replace`, an existing file is
    /// truncated and its mode set to `mode` before anything is written.
    func writeFile(_ path: String, contents: String, mode: mode_t, replace: Bool) throws {
        var flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC
        flags |= replace ? O_TRUNC : O_EXCL
        let fd = open(path, flags, mode)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == EEXIST { throw CommandFailure(message: "\(path) already exists; use --force to replace it, or -o another file") }
            throw CommandFailure(message: "cannot write \(path): \(reason)")
        }
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { throw CommandFailure(message: "cannot set the mode of \(path): \(String(cString: strerror(errno)))") }
        var bytes = Array(contents.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw CommandFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
            bytes = bytes.dropFirst(written)
        }
    }

    /// The default key file of a cluster: `./<name>.id_ed25519`.
    static func defaultKeyPath(_ cluster: ClusterView) -> String { "./\(cluster.name).id_ed25519" }

    func sshKey(_ reference: String, output: String?, force: Bool) async throws {
        let cluster = try await resolve(reference)
        let key = try await withClient { try await $0.sshKey(cluster.id) }
        if output == "-" {
            console.print(key, terminator: key.hasSuffix("\n") ? "" : "\n")
            return
        }
        let path = output ?? Self.defaultKeyPath(cluster)
        try writeFile(path, contents: key, mode: 0o600, replace: force)
        if global.json {
            try emitJSON(["cluster": cluster.id, "name": cluster.name, "path": path])
            return
        }
        console.print("Saved the SSH key of \(cluster.name) to \(path) (mode 0600).")
        if let ip = cluster.externalIP { console.print("Log in: ssh -i \(path) \(cluster.loginUser ?? "<user>")@\(ip)   (or: disco-cli ssh \(cluster.name))") }
    }

    func ssh(_ command: SSHCommand) async throws {
        let cluster = try await resolve(command.cluster)
        guard let ip = cluster.externalIP else {
            throw CommandFailure(message: "cluster \(cluster.name) has no external IP yet (it is \(cluster.state)); "
                                 + "wait with 'disco-cli watch \(cluster.name)'")
        }
        var identity = command.identity
        if identity == nil {
            let path = Self.defaultKeyPath(cluster)
            if !FileManager.default.fileExists(atPath: path) {
                let key = try await withClient { try await $0.sshKey(cluster.id) }
                try writeFile(path, contents: key, mode: 0o600, replace: false)
                console.printError("Saved the SSH key of \(cluster.name) to \(path) (mode 0600).")
            }
            identity = path
        }
        guard let user = command.user ?? cluster.loginUser else {
            throw CommandFailure(message: "the login user of image \(cluster.master.image) is not known; give it with -l <user>")
        }
        let argv = ["ssh", "-i", identity!, "\(user)@\(ip)"] + command.extra
        if command.dryRun {
            if global.json { return try emitJSON(["argv": argv]) }
            console.print(argv.map(Self.shellQuoted).joined(separator: " "))
            return
        }
        var cArguments = argv.map { strdup($0) } + [nil]
        execvp("ssh", &cArguments)
        let reason = String(cString: strerror(errno))
        cArguments.forEach { free($0) }
        throw CommandFailure(message: "could not run ssh: \(reason); install openssh-client")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "@%+=:,./-_"))
        if !word.isEmpty && word.unicodeScalars.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
