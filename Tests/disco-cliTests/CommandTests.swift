import DiscoCore
import Foundation
import Testing
@testable import disco_cli

/// Every command, in-process, against a real disco-sm with the simulated cloud.
@Suite(.timeLimit(.minutes(2))) struct CommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func tokenFromDemoCredentialsOrEnvironment() async throws {
        let issued = try await runCLI(["token"])
        #expect(issued.status == 0)
        #expect(issued.stdout.hasPrefix("gAAAA") && issued.stdout.split(separator: "\n").count == 1)
        let given = try await runCLI(["token"], environment: ["OS_TOKEN": "tok-123"])
        #expect(given.stdout == "tok-123\n")
        let asJSON = try await runCLI(["token", "--json"], environment: ["OS_USERNAME": "demo", "OS_PASSWORD": "demo", "OS_PROJECT_NAME": "demo"])
        #expect(try json(asJSON.stdout)["user"] as? String == "demo")
        let wrong = try await runCLI(["token"], environment: ["OS_USERNAME": "demo", "OS_PASSWORD": "nope"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.hasPrefix("Error: the user name, password or project is wrong"))
        let noPassword = try await runCLI(["token"], environment: ["OS_USERNAME": "demo"])
        #expect(noPassword.stderr == "Error: OS_USERNAME is set but OS_PASSWORD is not; set it, or give a token with --token / OS_TOKEN\n")
        let badToken = try await runCLI(["list"], environment: ["DISCO_TOKEN": "forged"])
        #expect(badToken.status == 1 && badToken.stderr.contains("HTTP 401"))
    }

    @Test func componentsFromServerAndOffline() async throws {
        let table = try await runCLI(["components"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("spark      3.5.8    hadoop"))
        #expect(table.stdout.contains("jupyter    4.x      -          password  8888"))
        let offline = try await runCLI(["components", "--offline", "--json"], server: false)
        let server = try await runCLI(["components", "--json"])
        let offlineNames = (try json(offline.stdout)["components"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        let serverNames = (try json(server.stdout)["components"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(offlineNames == serverNames)
        #expect(offlineNames?.contains("zeppelin") == true)
    }

    @Test func cloudListings() async throws {
        #expect(try await runCLI(["images"]).stdout.contains("ubuntu-22.04"))
        #expect(try await runCLI(["flavors"]).stdout.contains("m1.large       4   8 GiB   80 GB"))
        #expect(try await runCLI(["networks"]).stdout.contains("public  yes"))
        let flavors = try json(try await runCLI(["flavors", "--json"]).stdout)
        #expect((flavors["flavors"] as? [Any])?.count == 4)
    }

    @Test func lifecycle() async throws {
        let name = uniqueName("life")
        // m1.large: a 4 GB master cannot hold the Hadoop and Spark masters, a Spark driver and JupyterLab together.
        let created = try await runCLI(["create", name, "-c", "spark,jupyter", "-p", "jupyter.password=s3cret-pw", "-w", "1", "--flavor", "m1.large",
                                        "--wait", "--interval", "0.2", "--timeout", "60"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("Created cluster \(name)"))
        #expect(created.stdout.contains("\(name): ready 100%"))
        #expect(created.stdout.contains("Cluster \(name) is ready at 203.0.113."))
        #expect(!created.stdout.contains("s3cret-pw"))

        let list = try await runCLI(["list"])
        let row = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") })
        #expect(row.contains("ready") && row.contains("jupyter,spark"))
        let listed = try json(try await runCLI(["list", "--json"]).stdout)
        #expect((listed["clusters"] as? [[String: Any]])?.contains { $0["name"] as? String == name } == true)

        let show = try await runCLI(["show", name])
        #expect(show.stdout.contains("hadoop     3.5.0    ready  required by spark"))
        #expect(show.stdout.contains("JupyterLab"))
        let shown = try json(try await runCLI(["show", name, "--json"]).stdout)
        #expect(shown["state"] as? String == "ready")
        let id = try #require(shown["id"] as? String)
        #expect(try await runCLI(["show", String(id.prefix(8))]).stdout.contains(id))

        let events = try await runCLI(["events", name])
        #expect(events.stdout.contains("cluster ready"))
        #expect((try json(try await runCLI(["events", id, "--json"]).stdout)["events"] as? [Any])?.isEmpty == false)

        let scaled = try await runCLI(["scale", name, "2", "--wait", "--interval", "0.2", "--json"])
        #expect(scaled.status == 0, "\(scaled.stderr)")
        #expect(try json(scaled.stdout)["workers"] as? Int == 2)

        let suspended = try await runCLI(["suspend", name, "--wait", "--interval", "0.2"])
        #expect(suspended.status == 0 && suspended.stdout.contains("suspended"), "\(suspended.stderr)")
        let resumed = try await runCLI(["resume", name])
        #expect(resumed.stdout.contains("is resuming"))
        let watched = try await runCLI(["watch", name, "--interval", "0.2", "--json"])
        #expect(watched.status == 0)
        #expect(try json(watched.stdout)["state"] as? String == "ready")

        let deleted = try await runCLI(["delete", name, "--wait", "--interval", "0.2"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("Deleted cluster \(name)"))
    }

    @Test func sshKeyIsPrivateAndSSHCommandLine() async throws {
        let name = uniqueName("key")
        let created = try await runCLI(["create", name, "-w", "0", "--wait", "--interval", "0.2", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("k").path
        let saved = try await runCLI(["ssh-key", name, "-o", path])
        #expect(saved.status == 0)
        #expect(!saved.stdout.contains("PRIVATE KEY"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))

        let again = try await runCLI(["ssh-key", name, "-o", path])
        #expect(again.status == 1 && again.stderr.contains("already exists; use --force"))
        // --force replaces a world-readable file and makes it private before writing.
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(try await runCLI(["ssh-key", name, "-o", path, "--force"]).status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let printed = try await runCLI(["ssh-key", name, "-o", "-"])
        #expect(printed.stdout.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))

        let ssh = try await runCLI(["ssh", "-i", path, "--dry-run", name, "-L", "8088:localhost:8088", "uptime"])
        #expect(ssh.status == 0)
        #expect(ssh.stdout.hasPrefix("ssh -i \(path) ubuntu@203.0.113."))
        #expect(ssh.stdout.hasSuffix(" -L 8088:localhost:8088 uptime\n"))
        let argv = try json(try await runCLI(["ssh", "-i", path, "--dry-run", "--json", name]).stdout)["argv"] as? [String]
        #expect(argv?.prefix(3) == ["ssh", "-i", path])
        _ = try await runCLI(["delete", name])
    }

    @Test func serverProblemsAreListedOnePerLine() async throws {
        let bad = try await runCLI(["create", "x1", "-c", "sprak", "--image", "ubuntu-2.04"])
        #expect(bad.status == 1)
        let lines = bad.stderr.split(separator: "\n")
        #expect(lines.first == "Error: the request is invalid")
        #expect(lines.contains { $0.hasPrefix("  - components.sprak: is not a known component (did you mean 'spark'?); use one of: ") })
        #expect(lines.contains { $0.hasPrefix("  - master.image: ubuntu-2.04 is not an image of this cloud") })
        #expect(bad.stdout.isEmpty)

        let missing = try await runCLI(["show", "no-such-cluster"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("Error: no cluster 'no-such-cluster' in this project"))
        let missingID = try await runCLI(["show", "00000000-0000-0000-0000-000000000000"])
        #expect(missingID.stderr.hasPrefix("Error: no cluster '00000000-0000-0000-0000-000000000000' in this project"))
    }

    @Test func unreachableServer() async throws {
        let port = try TestServer.freePort()
        let result = try await runCLI(["list"], environment: ["DISCO_URL": "http://127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: cannot reach the DISCO service manager at http://127.0.0.1:\(port)"))
    }

    @Test func aCertificateTheSystemDoesNotTrustIsNamedWithHowToTrustIt() {
        let untrusted = DiscoClientError.unreachable("https://127.0.0.1:8443", "SSL certificate problem: unable to get local issuer certificate")
        #expect(untrusted.description.hasSuffix("; " + DiscoClientError.trustHint))
        #expect(!untrusted.description.contains("start disco-sm"))
        let refused = DiscoClientError.unreachable("http://127.0.0.1:8888", "Could not connect to the server.")
        #expect(refused.description.hasSuffix("; start disco-sm or set --url / DISCO_URL"))
    }

    @Test func offlinePlan() async throws {
        let plan = try await runCLI(["plan", "p1", "-c", "zeppelin", "--flavor", "big:16:65536:200", "-w", "3"], server: false)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("offline, built-in inventory"))
        #expect(plan.stdout.contains("spark      3.5.8    required by zeppelin"))
        #expect(plan.stdout.contains("Totals:    4 instances, 64 vCPUs, 256 GiB RAM, 800 GB disk"))
        #expect(plan.stdout.contains("heat_template_version:"))

        let template = try await runCLI(["plan", "p1", "-c", "spark", "--template-only", "--format", "json"], server: false)
        let parsed = try json(template.stdout)
        #expect(parsed["heat_template_version"] as? String == "2018-08-31")

        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("stack.yaml").path
        let key = folder.appendingPathComponent("p1.key").path
        let written = try await runCLI(["plan", "p1", "-o", out, "--key-out", key, "--json"], server: false)
        #expect(written.status == 0)
        let body = try json(written.stdout)
        #expect(body["inventory"] as? String == "built-in" && body["format"] as? String == "yaml")
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("heat_template_version:"))
        #expect((try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let invalid = try await runCLI(["plan", "p1", "-c", "jupyter", "--flavor", "m1.huge"], server: false)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("Error: the cluster spec is invalid"))
        #expect(invalid.stderr.contains("  - components.jupyter.password: is required"))
        #expect(invalid.stderr.contains("  - master.flavor: m1.huge is not a flavor of this cloud"))

        let tooLarge = try await runCLI(["plan", "p1", "-c", "jupyter", "-p", "jupyter.password=longenough",
                                         "-p", "jupyter.version_spec=>=4" + String(repeating: "0", count: 40_000)], server: false)
        #expect(tooLarge.status == 1)
        #expect(tooLarge.stderr.contains("  - components.jupyter.version_spec: "), "\(tooLarge.stderr.prefix(2000))")
        #expect(tooLarge.stderr.contains("does not match the allowed pattern"), "\(tooLarge.stderr.prefix(2000))")

        let remote = try await runCLI(["plan", "r1", "-c", "spark", "--remote", "--json"])
        #expect(try json(remote.stdout)["inventory"] as? String == "server")
    }

    @Test func guidedCreateInProcess() async throws {
        let name = uniqueName("guided")
        let script = ["", "1bad", name, "zepelin", "zeppelin, jupyter", "short", "s3cret-password", "", "m1.large", "x", "1", "",
                      "", "y", "y"]
        let result = try await runCLI(["create", "--interval", "0.2"], input: script, tty: true)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("✗ a name is required"))
        #expect(result.stdout.contains("✗ is not a valid cluster name"))
        #expect(result.stdout.contains("✗ 'zepelin' is not a component; did you mean 'zeppelin'?"))
        #expect(result.stdout.contains("+ spark, hadoop (required by zeppelin)"))
        #expect(result.stdout.contains("✗ does not match ^.{8,128}$"))
        #expect(result.stdout.contains("✗ 'x' is not a whole number"))
        #expect(result.stdout.contains("Totals:     2 instances, 8 vCPUs"))
        #expect(!result.stdout.contains("s3cret-password"))
        let shown = try json(try await runCLI(["show", name, "--json"]).stdout)
        #expect(shown["state"] as? String == "ready")
        let components = (shown["components"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(components == ["base", "hadoop", "jupyter", "spark", "zeppelin"])
        _ = try await runCLI(["delete", name])
    }

    @Test func shellRunsCommandsFromStdinWhenNotATerminal() async throws {
        let ok = try await runCLI([], input: ["# a comment", "", "images", "flavors --json"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ubuntu-22.04") && ok.stdout.contains("\"flavors\""))
        #expect(!ok.stdout.contains("disco>"))
        let stops = try await runCLI([], input: ["images", "frob", "flavors"])
        #expect(stops.status == 64)
        #expect(stops.stderr.hasPrefix("Error: 'frob' is not a disco-cli command"))
        #expect(!stops.stdout.contains("m1.large"))
    }
}
