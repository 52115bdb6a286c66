import Foundation
import Testing
@testable import disco_cli

/// The completion scripts generated from the declarations, run by the shells themselves.
@Suite struct CompletionScriptTests {
    /// Runs `bash -c script` with `arguments` as `$1…`; standard output and the exit status.
    func bash(_ script: String, _ arguments: [String] = []) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "bash"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    func writeScript(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("disco-cli-completion-\(UUID().uuidString)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// What `_disco_cli` offers for the command line `line` (the word being completed is its last, empty if it ends in a space).
    func complete(_ line: String, script: URL) throws -> [String] {
        let result = try bash("""
            source "$1"
            read -ra COMP_WORDS <<< "$2"
            [[ $2 == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _disco_cli
            printf '%s\\n' "${COMPREPLY[@]}"
            """, [script.path, line])
        #expect(result.status == 0)
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test func bashScriptParsesAndCompletesFromTheDeclarations() throws {
        let script = try writeScript(CompletionScript.bash())
        defer { try? FileManager.default.removeItem(at: script) }
        #expect(try bash("bash -n \"$1\"", [script.path]).status == 0)
        #expect(try complete("disco-cli cr", script: script) == ["create"])
        #expect(try complete("disco-cli l", script: script) == ["list", "ls"])
        #expect(try complete("disco-cli --url http://h:1 --json s", script: script) == ["show", "scale", "suspend", "ssh-key", "ssh"])
        #expect(try complete("disco-cli --v", script: script) == ["--version"])
        #expect(try complete("disco-cli create --wo", script: script) == ["--workers", "--worker-image", "--worker-flavor"])
        #expect(try complete("disco-cli rm --y", script: script) == ["--yes"])
        #expect(try complete("disco-cli watch a1 --", script: script)
                == ["--health", "--interval", "--timeout", "--url", "--token", "--os-cloud", "--json", "--no-color", "--help"])
        #expect(try complete("disco-cli plan demo --format ", script: script) == ["yaml", "json"])
        #expect(try complete("disco-cli plan demo -w ", script: script) == [])
        #expect(try complete("disco-cli help ss", script: script) == ["ssh-key", "ssh"])
        #expect(try complete("disco-cli completion ", script: script) == ["bash", "zsh"])
        #expect(try complete("disco-cli create -f \(script.path)", script: script) == [script.path])
        // Hidden options are accepted but not offered.
        #expect(try !complete("disco-cli create --", script: script).contains("--name"))
        #expect(try !complete("disco-cli scale a1 --", script: script).contains("--workers"))
    }

    @Test func bashScriptFromTheBinary() async throws {
        let result = try await runCLI(["completion", "bash"], server: false)
        #expect(result.status == 0 && result.stderr.isEmpty)
        #expect(result.stdout == CompletionScript.bash())
        #expect(result.stdout.hasSuffix("complete -F _disco_cli disco-cli\n"))
    }

    @Test func zshScriptNamesEveryCommandAndOption() throws {
        let script = CompletionScript.zsh()
        #expect(script.hasPrefix("#compdef disco-cli\n"))
        for declaration in CommandDeclaration.all {
            #expect(script.contains("\n        '\(declaration.name):"), "\(declaration.name)")
            for option in declaration.options where !option.isHidden {
                for name in option.names { #expect(script.contains("'\(name)["), "\(declaration.name) \(name)") }
            }
        }
        #expect(script.contains(#"'--format[Template format (default\: yaml).]:yaml|json:(yaml json)'"#))
        #expect(script.contains(#"'-f[A JSON cluster spec (as POST /api/v1/clusters takes); flags override its fields. '\''-'\'' reads stdin.]:spec.json:_files'"#))
        #expect(script.contains("'*:ssh argument: '"))
        // Checked by zsh itself where it is installed.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh") || FileManager.default.isExecutableFile(atPath: "/bin/zsh") {
            let url = try writeScript(script)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect(try bash("zsh -n \"$1\"", [url.path]).status == 0)
        }
    }

    @Test func unknownShellIsAUsageError() async throws {
        let result = try await runCLI(["completion", "fish"], server: false)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: <shell>: 'fish' is not a shell; use bash or zsh\nUsage: disco-cli completion <shell>\n"))
        #expect(try await runCLI(["completion"], server: false).stderr.hasPrefix("Error: missing <shell>\n"))
    }
}
