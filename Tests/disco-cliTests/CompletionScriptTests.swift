import DiscoRuntime
import Foundation
import Testing
@testable import disco_cli

/// The completion scripts generated from the declarations, run by the shells themselves.
@Suite struct CompletionScriptTests {
    /// Runs `bash -c script` with `arguments` as `$1…`; standard output and the exit status.
    func bash(_ script: String, _ arguments: [String] = []) throws -> (output: String, status: Int32) {
        let result = try bashWithErrors(script, arguments)
        return (result.output, result.status)
    }

    /// Runs `bash -c script` with `arguments` as `$1…` and `path` first on `PATH`; standard output and error, and the
    /// exit status.
    func bashWithErrors(_ script: String, _ arguments: [String] = [], path: URL? = nil) throws -> (output: String, errors: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "bash"] + arguments
        if let path {
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = path.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            process.environment = environment
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self), process.terminationStatus)
    }

    func writeScript(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("disco-cli-completion-\(UUID().uuidString)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// What `_disco_cli` offers for the command line `line` (the word being completed is its last, empty if it ends in a space).
    func complete(_ line: String, script: URL) throws -> [String] {
        try completeWithStub(line, script: script, folder: nil).words
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

    /// The commands whose first argument is a cluster, by every name they go by.
    static let clusterCommands: Set<String> = ["show", "get", "watch", "scale", "suspend", "resume", "check", "delete", "rm",
                                               "ssh-key", "ssh", "events"]

    /// Each `case` branch of the bash script's command switch, by its names (`show|get`).
    func bashBranches(_ script: String) -> [String: String] {
        var branches: [String: String] = [:]
        var current: String?
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.wholeMatch(of: /\ {8}[a-z|-]+\)/) != nil {
                current = String(line.dropFirst(8).dropLast())
                branches[current!] = ""
            } else if let current {
                branches[current]! += line + "\n"
            }
        }
        return branches
    }

    @Test func exactlyTheCommandsTakingAClusterCompleteClusterNames() throws {
        for declaration in CommandDeclaration.all {
            let takesCluster = declaration.arguments.first?.label == "<cluster>"
            #expect(takesCluster == Self.clusterCommands.contains(declaration.name), "\(declaration.name)")
            #expect(declaration.arguments.filter { $0.completion == .clusters }.map(\.label) == (takesCluster ? ["<cluster>"] : []),
                    "\(declaration.name)")
        }
        let branches = bashBranches(CompletionScript.bash())
        #expect(branches.count == CommandDeclaration.all.count)
        for (names, body) in branches {
            let named = Set(names.split(separator: "|").map(String.init))
            let hooked = body.contains("0) COMPREPLY=( $(compgen -W \"$(_disco_cli_clusters)\" -- \"$cur\") ); ;;")
            #expect(hooked == !named.isDisjoint(with: Self.clusterCommands), "\(names)")
            #expect(body.components(separatedBy: "_disco_cli_clusters").count == (hooked ? 2 : 1), "\(names): one hook, at the cluster")
        }
        let zsh = CompletionScript.zsh()
        for declaration in CommandDeclaration.all {
            let names = ([declaration.name] + declaration.aliases).joined(separator: "|")
            let line = try #require(zsh.split(separator: "\n").first { $0.hasPrefix("                \(names)) _arguments") })
            let branch = (line + zsh.components(separatedBy: line)[1]).components(separatedBy: ";;")[0]
            #expect(branch.contains("'1:cluster:_disco-cli_clusters'") == Self.clusterCommands.contains(declaration.name), "\(names)")
        }
        #expect(zsh.contains("names=(${(f)\"$($run $cli list --names 2>/dev/null </dev/null)\"})"))
    }

    /// A `disco-cli` on `PATH` that logs its arguments to `args` beside it and answers `list --names` with `names`
    /// (or fails with a message when `names` is `nil`).
    func stubCLI(names: [String]?) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-cli-stub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let answer = names.map { "printf '%s\\n' \($0.map { "'\($0)'" }.joined(separator: " "))" }
            ?? "echo 'Error: cannot reach http://127.0.0.1:8888' >&2; exit 1"
        let script = """
            #!/bin/bash
            printf '%s\\n' "$*" >> "\(folder.path)/args"
            [[ "${*: -2}" == "list --names" ]] || exit 64
            \(answer)

            """
        let stub = folder.appendingPathComponent("disco-cli")
        try script.write(to: stub, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)
        return folder
    }

    /// What `_disco_cli` offers for `line`, with `COMP_LINE` set as bash sets it, against the stub in `folder` when given;
    /// and what it wrote to standard error.
    func completeWithStub(_ line: String, script: URL, folder: URL?) throws -> (words: [String], errors: String) {
        let result = try bashWithErrors("""
            source "$1"
            COMP_LINE=$2
            read -ra COMP_WORDS <<< "$2"
            [[ $2 == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _disco_cli
            printf '%s\\n' "${COMPREPLY[@]}"
            """, [script.path, line], path: folder)
        #expect(result.status == 0)
        return (result.output.split(separator: "\n").map(String.init), result.errors)
    }

    @Test func bashCompletesClusterNamesFromTheCLI() throws {
        let script = try writeScript(CompletionScript.bash())
        let folder = try stubCLI(names: ["alpha", "beta", "big-data"])
        defer {
            try? FileManager.default.removeItem(at: script)
            try? FileManager.default.removeItem(at: folder)
        }
        #expect(try completeWithStub("disco-cli show ", script: script, folder: folder).words == ["alpha", "beta", "big-data"])
        #expect(try completeWithStub("disco-cli rm b", script: script, folder: folder).words == ["beta", "big-data"])
        #expect(try completeWithStub("disco-cli --json suspend --wait a", script: script, folder: folder).words == ["alpha"])
        // Options' values are not positions: after -i <key> and --timeout <duration> comes the cluster.
        #expect(try completeWithStub("disco-cli ssh -i key.pem --url http://h:1 b", script: script, folder: folder).words
                == ["beta", "big-data"])
        #expect(try completeWithStub("disco-cli watch --timeout 10m al", script: script, folder: folder).words == ["alpha"])
        // Not after the cluster, and not where a new name is typed.
        #expect(try completeWithStub("disco-cli scale alpha ", script: script, folder: folder).words == [])
        #expect(try completeWithStub("disco-cli ssh alpha ", script: script, folder: folder).words == [])
        #expect(try completeWithStub("disco-cli create ", script: script, folder: folder).words == [])
        // The line's server and token go to the CLI asked.
        let args = try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8).split(separator: "\n")
        #expect(args.first == "list --names")
        #expect(args.contains("--url http://h:1 list --names"))
        #expect(args.count == 5, "\(args)")
    }

    /// bash splits COMP_WORDS at ':' and '=' too: `--url http://h:1` comes as `--url`, `http`, `:`, `//h`, `:`, `1`.
    @Test func bashCompletesAfterAURLThatBashCutInPieces() throws {
        let script = try writeScript(CompletionScript.bash())
        let folder = try stubCLI(names: ["alpha", "beta"])
        defer {
            try? FileManager.default.removeItem(at: script)
            try? FileManager.default.removeItem(at: folder)
        }
        func complete(_ line: String, words: [String]) throws -> [String] {
            let result = try bashWithErrors("""
                source "$1"
                COMP_LINE=$2
                COMP_POINT=${#2}
                shift 2
                COMP_WORDS=("$@")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                _disco_cli
                printf '%s\\n' "${COMPREPLY[@]}"
                """, [script.path, line] + words, path: folder)
            #expect(result.status == 0 && result.errors.isEmpty)
            return result.output.split(separator: "\n").map(String.init)
        }
        #expect(try complete("disco-cli --url http://h:1 show a",
                             words: ["disco-cli", "--url", "http", ":", "//h", ":", "1", "show", "a"]) == ["alpha"])
        #expect(try complete("disco-cli --url=http://h:1 sus",
                             words: ["disco-cli", "--url", "=", "http", ":", "//h", ":", "1", "sus"]) == ["suspend"])
        // The URL's last piece is a value being typed: nothing is offered for it.
        #expect(try complete("disco-cli --url http://h:1", words: ["disco-cli", "--url", "http", ":", "//h", ":", "1"]) == [])
        let args = try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8)
        #expect(args == "--url http://h:1 list --names\n")
    }

    @Test func bashClusterCompletionIsQuietWhenTheServerIsDown() throws {
        let script = try writeScript(CompletionScript.bash())
        let folder = try stubCLI(names: nil)
        defer {
            try? FileManager.default.removeItem(at: script)
            try? FileManager.default.removeItem(at: folder)
        }
        let result = try completeWithStub("disco-cli delete ", script: script, folder: folder)
        #expect(result.words == [] && result.errors == "")
        #expect(try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8) == "list --names\n")
    }

    @Test func listNamesPrintsTheClustersNotDeletedOnePerLine() async throws {
        let first = uniqueName("names"), second = uniqueName("names")
        for name in [first, second] {
            let created = try await runCLI(["create", name, "-w", "0"])
            #expect(created.status == 0, "\(created.stderr)")
        }
        let listed = try await runCLI(["list", "--names"])
        #expect(listed.status == 0 && listed.stderr.isEmpty)
        let names = listed.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(names.last == "")
        #expect(names.filter { $0 == first }.count == 1 && names.filter { $0 == second }.count == 1)
        #expect(try #require(names.firstIndex(of: first)) < (try #require(names.firstIndex(of: second))), "oldest first")
        #expect(names.dropLast().allSatisfy { !$0.isEmpty && !$0.contains(" ") })
        // --json changes nothing: the names are for the shell. (Other tests' clusters may finish deleting meanwhile:
        // only this test's are compared.)
        let json = try await runCLI(["--json", "list", "--names"])
        let ours = { (text: String) in text.split(separator: "\n").map(String.init).filter { $0 == first || $0 == second } }
        #expect(json.status == 0 && ours(json.stdout) == [first, second])
        #expect(json.stdout.hasSuffix("\n") && json.stdout.split(separator: "\n").allSatisfy { !$0.contains(" ") && !$0.hasPrefix("[") && !$0.hasPrefix("{") })
        let deleted = try await runCLI(["delete", first, "--wait", "--interval", "0.2"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let after = try await runCLI(["list", "--names"]).stdout.split(separator: "\n").map(String.init)
        #expect(!after.contains(first) && after.contains(second))
        _ = try await runCLI(["delete", second])
        // Hidden: accepted, not in list's help.
        #expect(!Help.text(for: "list").contains("--names"))
    }

    @Test func listNamesWithTheServerDownPrintsNoName() async throws {
        let port = try TestServer.freePort()
        let result = try await runCLI(["list", "--names"], environment: ["DISCO_URL": "http://127.0.0.1:\(port)", "DISCO_TOKEN": "t"],
                                      server: false)
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: "))
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
