import Foundation
@testable import DiscoCore

/// Runs functions of the built-in prelude in bash, outside any node: a temporary directory `$T` holds the prelude,
/// the status directory and the deployment log (`$T/deployment.log`) and any stub commands, which come first on `PATH` (`$T/bin`).
/// `sleep` only moves `SECONDS` on, so waits cost nothing and stay countable.
struct PreludeHarness {
    let directory: URL

    /// `role`: whose script's prelude (``RoleSections``) and `DISCO_ROLE`.
    let role: NodeRole

    init(stubs: [String: String] = [:], role: NodeRole = .master) throws {
        self.role = role
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-prelude-\(UUID().uuidString)")
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try RoleSections.kept(for: role, in: ComponentCatalog.builtIn().prelude).write(to: directory.appendingPathComponent("prelude.sh"), atomically: true, encoding: .utf8)
        for (name, body) in stubs {
            let file = bin.appendingPathComponent(name)
            try ("#!/bin/bash\n" + body).write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
    }

    /// Runs `body` after the prelude with `set -Eeuo pipefail`; prints what `body` prints, then `exit=N`.
    func run(_ body: String, environment: [String: String] = [:]) async throws -> String {
        let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(ShellQuoting.quote($0.value))" }
        let script = """
            export T=\(ShellQuoting.quote(directory.path)) PATH=\(ShellQuoting.quote(directory.path))/bin:$PATH
            \(exports.joined(separator: "\n"))
            (
            set -Eeuo pipefail
            DISCO_CLUSTER=demo DISCO_ROLE=\(role == .workers ? "worker" : "master") DISCO_NODE_INDEX=0 DISCO_MASTER_IP=127.0.0.1 DISCO_COMPONENTS=base
            . "$T/prelude.sh"
            DISCO_WWW=$T DISCO_DEPLOYMENT_LOG=$T/deployment.log
            sleep() { SECONDS=$((SECONDS + ${1%.*})); }
            \(body)
            ) 2>&1
            echo "exit=$?"
            """
        return try await runBash(script)
    }

    /// What the prelude logged (`$DISCO_DEPLOYMENT_LOG`).
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("deployment.log"), encoding: .utf8)) ?? ""
    }

    func file(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
