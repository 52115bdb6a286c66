import DiscoCore
import DiscoRuntime
import Foundation

/// The built-in prelude run as a node runs it, outside any node: Heat's `str_replace` is played by putting the wait
/// condition's `signal` credentials in place of `__DISCO_WC_SIGNAL__`, then `commands` run after it with
/// `set -Eeuo pipefail`. `sleep` returns at once, so retries cost nothing.
enum InstallScript {
    struct Run {
        /// What the commands and the prelude printed (the prelude's log lines included).
        var output: String
        var termination: ChildProcess.Termination
    }

    static func run(signal: String, _ commands: String) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-install-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let prelude = try ComponentCatalog.builtIn().prelude.replacingOccurrences(of: "__DISCO_WC_SIGNAL__", with: signal)
        try prelude.write(to: directory.appendingPathComponent("prelude.sh"), atomically: true, encoding: .utf8)
        let script = """
            set -Eeuo pipefail
            DISCO_CLUSTER=demo DISCO_ROLE=master DISCO_NODE_INDEX=0 DISCO_MASTER_IP=127.0.0.1 DISCO_COMPONENTS=base
            . "$1/prelude.sh"
            DISCO_WWW=$1
            sleep() { :; }
            \(commands)
            """
        try script.write(to: directory.appendingPathComponent("run.sh"), atomically: true, encoding: .utf8)
        let outcome = try await ChildProcess.run("/bin/bash", arguments: ["-c", #"bash "$0/run.sh" "$0" >"$0/out" 2>&1"#, directory.path])
        let output = (try? String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8)) ?? ""
        return Run(output: output, termination: outcome.termination)
    }
}
