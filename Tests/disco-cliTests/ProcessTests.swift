import DiscoCore
import Foundation
import Testing
@testable import disco_cli

/// The built binary: exit statuses, which stream gets what.
@Suite(.timeLimit(.minutes(2))) struct ProcessTests {
    @Test func helpAndVersionGoToStdoutWithZero() throws {
        let help = try runBinary(["--help"])
        #expect(help.status == 0 && help.stderr.isEmpty)
        #expect(help.stdout.hasPrefix("OVERVIEW: Manage DISCO clusters"))
        let sub = try runBinary(["help", "create"])
        #expect(sub.status == 0 && sub.stdout.contains("USAGE: disco-cli create"))
        let version = try runBinary(["--version"])
        #expect(version.status == 0 && version.stdout == "disco-cli \(DiscoVersion.current)\n")
    }

    @Test func usageErrorsExit64WithAPointerToHelp() throws {
        let result = try runBinary(["create", "demo", "--workers", "many"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            Error: --workers: 'many' is not a whole number in 0…1000
            Usage: disco-cli create [<name>] [<spec options>] [--wait]
              See 'disco-cli create --help' for more information.

            """)
        let unknown = try runBinary(["lsit"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("Error: 'lsit' is not a disco-cli command; did you mean 'list'?\nUsage: disco-cli [<options>] <subcommand>\n"))
        #expect(unknown.stderr.hasSuffix("  See 'disco-cli --help' for more information.\n"))
    }

    @Test func runtimeErrorsExit1OnStderr() async throws {
        let url = try await TestServer.url().absoluteString
        let result = try runBinary(["show", "no-such-cluster"], environment: ["DISCO_URL": url])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: no cluster 'no-such-cluster' in this project"))
        let invalid = try runBinary(["create", "x2", "-w", "2000"], environment: ["DISCO_URL": url])
        #expect(invalid.status == 64)
        let problems = try runBinary(["create", "x2", "--flavor", "m1.huge"], environment: ["DISCO_URL": url])
        #expect(problems.status == 1)
        #expect(problems.stderr.contains("\n  - master.flavor: m1.huge is not a flavor of this cloud"))
    }

    @Test func tokenPrintsJustTheToken() async throws {
        let url = try await TestServer.url().absoluteString
        let result = try runBinary(["token"], environment: ["DISCO_URL": url])
        #expect(result.status == 0 && result.stderr.isEmpty)
        #expect(result.stdout.split(separator: "\n").count == 1)
        // The token works for the other commands.
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try runBinary(["list", "--json"], environment: ["DISCO_URL": url, "DISCO_TOKEN": token])
        #expect(list.status == 0 && list.stdout.hasPrefix("{\"clusters\":"))
    }

    @Test func noColorWhenNotATerminal() async throws {
        let url = try await TestServer.url().absoluteString
        let result = try runBinary(["components"], environment: ["DISCO_URL": url])
        #expect(!result.stdout.contains("\u{1B}["))
        // 80 columns when not a terminal.
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func commandsFromStdinWithoutPrompting() async throws {
        let url = try await TestServer.url().absoluteString
        let ok = try runBinary([], environment: ["DISCO_URL": url], stdin: "images\n# comment\nnetworks\n")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ubuntu-24.04") && ok.stdout.contains("public"))
        #expect(!ok.stdout.contains("disco>") && !ok.stdout.contains("?"))
        let failing = try runBinary([], environment: ["DISCO_URL": url], stdin: "images\nshow nothing-here\nnetworks\n")
        #expect(failing.status == 1)
        #expect(!failing.stdout.contains("EXTERNAL"))
        // A bare create is not guided without a terminal: it is a usage error.
        let create = try runBinary([], environment: ["DISCO_URL": url], stdin: "create\n")
        #expect(create.status == 64)
        #expect(create.stderr.hasPrefix("Error: a cluster needs a name"))
    }

    @Test func sshKeyDefaultPathIsPrivate() async throws {
        let url = try await TestServer.url().absoluteString
        let name = uniqueName("pkey")
        let created = try runBinary(["create", name, "-w", "0", "--wait", "--interval", "0.2"], environment: ["DISCO_URL": url])
        #expect(created.status == 0, "\(created.stderr)")
        let folder = try temporaryFolder()
        let saved = try runBinary(["ssh-key", name], environment: ["DISCO_URL": url], directory: folder)
        #expect(saved.status == 0, "\(saved.stderr)")
        let path = folder.appendingPathComponent("\(name).id_ed25519").path
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let deleted = try runBinary(["delete", name, "--wait", "--interval", "0.2", "--json"], environment: ["DISCO_URL": url])
        #expect(deleted.status == 0)
        #expect(deleted.stdout.contains("\"state\":\"deleted\""))
    }
}
