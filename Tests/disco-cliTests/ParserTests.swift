import DiscoCore
import Foundation
import Testing
@testable import disco_cli

@Suite struct ParserTests {
    func parse(_ line: String) throws -> Invocation {
        try CommandParser.parse(try CommandParser.split(line))
    }

    func usageError(_ line: String) -> UsageError? {
        do {
            _ = try parse(line)
            return nil
        } catch let error as UsageError {
            return error
        } catch {
            return nil
        }
    }

    @Test func noArgumentsIsTheShell() throws {
        #expect(try parse("").command == .shell)
        #expect(try parse("--url http://h:1").command == .shell)
        #expect(try parse("--url http://h:1").global.url == "http://h:1")
    }

    @Test func helpAndVersion() throws {
        #expect(try parse("--help").command == .help(nil))
        #expect(try parse("-h").command == .help(nil))
        #expect(try parse("help").command == .help(nil))
        #expect(try parse("help create").command == .help("create"))
        #expect(try parse("help ls").command == .help("list"))
        #expect(try parse("create --help").command == .help("create"))
        #expect(try parse("scale x 3 -h").command == .help("scale"))
        #expect(try parse("--version").command == .version)
        #expect(usageError("help frob")?.command == "help")
    }

    @Test func globalOptionsAnywhere() throws {
        let invocation = try parse("list --json --url=https://disco.example:8888 --token abc --no-color")
        #expect(invocation.command == .list)
        #expect(invocation.global == GlobalOptions(url: "https://disco.example:8888", token: "abc", json: true, noColor: true))
        #expect(try parse("--json show a1").global.json)
        #expect(usageError("list --url ftp://x")?.message.contains("not an http(s) URL") == true)
        #expect(usageError("list --token")?.message == "--token needs a value")
        #expect(usageError("--json=yes list")?.message == "--json takes no value")
    }

    @Test func simpleCommands() throws {
        #expect(try parse("list").command == .list)
        #expect(try parse("ls").command == .list)
        #expect(try parse("token").command == .token)
        #expect(try parse("images").command == .images)
        #expect(try parse("flavors").command == .flavors)
        #expect(try parse("networks").command == .networks)
        #expect(try parse("components").command == .components(offline: false))
        #expect(try parse("components --offline").command == .components(offline: true))
        #expect(try parse("show a1").command == .show(cluster: "a1"))
        #expect(try parse("events a1").command == .events(cluster: "a1"))
    }

    @Test func create() throws {
        let invocation = try parse("create demo -c spark,jupyter --component kafka -p jupyter.password=pw=1 -w 3 --image debian-12 "
                                   + "--master-flavor m1.large --worker-flavor m1.small --external-network ext --network n1 "
                                   + "--ttl 2h --tag team=a --wait --interval 0.5 --timeout 10m")
        guard case let .create(create) = invocation.command else { Issue.record("not create"); return }
        #expect(create.spec.name == "demo")
        #expect(create.spec.components == ["spark", "jupyter", "kafka"])
        #expect(create.spec.properties == [.init(component: "jupyter", key: "password", value: "pw=1")])
        #expect(create.spec.workers == 3)
        #expect(create.spec.ttlSeconds == 7200)
        #expect(create.wait == WaitOptions(wait: true, interval: 0.5, timeout: 600))
        let request = try create.spec.makeRequest(fileContents: nil)
        #expect(request.leftOut.isEmpty)
        let spec = request.spec
        #expect(spec.master == NodeSpec(image: "debian-12", flavor: "m1.large"))
        #expect(spec.worker == NodeSpec(image: "debian-12", flavor: "m1.small"))
        #expect(spec.externalNetwork == "ext")
        #expect(spec.network == "n1")
        #expect(spec.components == ["spark": [:], "jupyter": ["password": "pw=1"], "kafka": [:]])
        #expect(spec.tags == ["team=a"])
    }

    static func json(_ request: SpecRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }

    @Test func createDefaultsAndFile() throws {
        guard case let .create(bare) = try parse("create c1").command else { Issue.record("not create"); return }
        let bareRequest = try bare.spec.makeRequest(fileContents: nil)
        // Everything the user did not give is left to the server's defaults; offline, the built-in ones.
        #expect(bareRequest.leftOut == Set(SpecRequest.Field.allCases))
        #expect(try Self.json(bareRequest) == #"{"master":{},"name":"c1","workers":2}"#)
        let spec = bareRequest.spec
        #expect(spec == ClusterSpec(name: "c1", master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.medium"),
                                    worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.medium"), workers: 2, externalNetwork: "public"))
        guard case let .create(fromFile) = try parse("create -f spec.json -w 5").command else { Issue.record("not create"); return }
        #expect(fromFile.spec.file == "spec.json")
        let file = #"{"name": "f1", "master": {"image": "i", "flavor": "f"}, "workers": 1, "externalNetwork": "pub", "components": {"spark": {}}}"#
        let mergedRequest = try fromFile.spec.makeRequest(fileContents: file)
        #expect(mergedRequest.leftOut == [.workerImage, .workerFlavor])
        let merged = mergedRequest.spec
        #expect(merged.name == "f1" && merged.workers == 5 && merged.worker == NodeSpec(image: "i", flavor: "f") && merged.components == ["spark": [:]])
        #expect(throws: SpecBuildError.self) { try fromFile.spec.makeRequest(fileContents: "{\"name\": 1}") }
        // A mistyped field is not dropped, and Foundation's bare "not valid JSON" gets a place.
        let typo = file.replacingOccurrences(of: #""workers": 1"#, with: #""workers": 1, "ttlSecond": 60"#)
        let typoError = try #require(throws: SpecBuildError.self) { try fromFile.spec.makeRequest(fileContents: typo) }
        #expect(typoError.description.hasPrefix("spec.json: not a cluster spec: ttlSecond: is not a field (did you mean 'ttlSeconds'?)"))
        let broken = file.replacingOccurrences(of: #""workers": 1"#, with: #""workers": 1.5"#)
        let brokenError = try #require(throws: SpecBuildError.self) { try fromFile.spec.makeRequest(fileContents: broken) }
        #expect(brokenError.description == "spec.json: not a cluster spec: workers: 1.5 is not a whole number; use a whole number such as 3")
        // A file without image, flavor or external network: the server's defaults, whatever flags add.
        let partial = try fromFile.spec.makeRequest(fileContents: #"{"name": "p1", "master": {"flavor": "m1.large"}, "workers": 1}"#)
        #expect(try Self.json(partial) == #"{"master":{"flavor":"m1.large"},"name":"p1","workers":5}"#)
        guard case let .create(imaged) = try parse("create i1 --master-image debian-12 --worker-flavor m1.small --allow-from 203.0.113.0/24 --allow-from 2001:db8::/32").command else { Issue.record("not create"); return }
        #expect(try Self.json(try imaged.spec.makeRequest(fileContents: nil))
                == #"{"allowedSources":["203.0.113.0/24","2001:db8::/32"],"master":{"image":"debian-12"},"name":"i1","worker":{"flavor":"m1.small"},"workers":2}"#)
        guard case let .create(nameless) = try parse("create -w 1").command else { Issue.record("not create"); return }
        #expect(throws: SpecBuildError.self) { try nameless.spec.makeRequest(fileContents: nil) }
    }

    @Test(arguments: [
        ("create a -w", "-w needs a value"),
        ("create a -w lots", "-w: 'lots' is not a whole number in 0…1000"),
        ("create a -w 1001", "-w: '1001' is not a whole number in 0…1000"),
        ("create a -p nodot=1", "-p: 'nodot=1' is not COMPONENT.KEY=VALUE (e.g. jupyter.tls=false)"),
        ("create a --flavor x:1:2:3", "--flavor: 'x:1:2:3' looks like a flavor definition; those are only for offline plans, give a flavor name"),
        ("create a --frob", "unknown option '--frob'"),
        ("create a b", "unexpected argument 'b'"),
        ("create a --name b", "the name is given twice ('a' and --name)"),
        ("create a --ttl soon", "--ttl: 'soon' is not a duration of at least 1 s; use e.g. 30, 30s, 10m, 2h, 7d"),
        ("create a --interval 0", "--interval: '0' is not a duration of at least 0.1 s; use e.g. 30, 30s, 10m, 2h, 7d"),
    ])
    func createErrors(line: String, message: String) {
        let error = usageError(line)
        #expect(error?.message == message)
        #expect(error?.command == "create")
    }

    @Test func plan() throws {
        guard case let .plan(plan) = try parse("plan p1 -c spark --flavor big:16:65536:200 --format json --template-only --public-key k.pub --key-out k").command
        else { Issue.record("not plan"); return }
        #expect(plan.format == "json" && plan.templateOnly && plan.publicKeyFile == "k.pub" && plan.keyOutput == "k")
        #expect(plan.spec.flavor == "big")
        #expect(plan.spec.flavorDefinitions == [Flavor(id: "big", name: "big", vcpus: 16, ramMB: 65536, diskGB: 200)])
        guard case let .plan(remote) = try parse("plan -f s.json --remote -o t.yaml").command else { Issue.record("not plan"); return }
        #expect(remote.remote && remote.output == "t.yaml" && remote.spec.file == "s.json")
        #expect(usageError("plan")?.message == "a plan needs a cluster name or a spec file (-f spec.json)")
        #expect(usageError("plan p --format xml")?.message == "--format: 'xml' is not a format; use yaml or json")
        #expect(usageError("plan p --flavor big:x:1:1")?.message.contains("NAME:VCPUS:RAM_MB:DISK_GB") == true)
        #expect(usageError("plan p --remote --key-out k")?.command == "plan")
    }

    @Test func clusterActions() throws {
        #expect(try parse("watch a1").command == .watch(WaitOptions(wait: true), cluster: "a1"))
        #expect(try parse("watch a1 --interval 2 --timeout 30s").command == .watch(WaitOptions(wait: true, interval: 2, timeout: 30), cluster: "a1"))
        #expect(try parse("scale a1 4").command == .scale(WaitOptions(), cluster: "a1", workers: 4))
        #expect(try parse("scale a1 --workers 0 --wait").command == .scale(WaitOptions(wait: true), cluster: "a1", workers: 0))
        #expect(try parse("suspend a1 --wait").command == .suspend(WaitOptions(wait: true), cluster: "a1"))
        #expect(try parse("resume a1").command == .resume(WaitOptions(), cluster: "a1"))
        #expect(try parse("delete a1 --yes --wait").command == .delete(WaitOptions(wait: true), cluster: "a1", yes: true))
        #expect(try parse("rm -y a1").command == .delete(WaitOptions(), cluster: "a1", yes: true))
        #expect(usageError("watch a1 --wait")?.message == "unknown option '--wait'")
        #expect(try parse("watch a1 --health --timeout 10m").command == .watch(WaitOptions(wait: true, timeout: 600, health: true), cluster: "a1"))
        #expect(usageError("suspend a1 --health")?.message == "unknown option '--health'")
        #expect(try parse("check a1 --json") == Invocation(global: GlobalOptions(json: true), command: .check(cluster: "a1")))
        #expect(usageError("check a1 --wait")?.message == "unknown option '--wait'")
        #expect(usageError("check a1 b2")?.message == "unexpected argument 'b2'")
        #expect(usageError("scale a1")?.message == "missing <workers>: how many workers the cluster should have")
        #expect(usageError("scale a1 -1")?.message == "<workers>: '-1' is not a number of workers; use 0…1000")
        #expect(usageError("scale a1 2 --workers 3")?.message == "the number of workers is given twice")
        #expect(usageError("suspend")?.message == "missing <cluster>")
        #expect(usageError("delete a b")?.message == "unexpected argument 'b'")
        #expect(usageError("show")?.command == "show")
    }

    @Test func keysAndSSH() throws {
        #expect(try parse("ssh-key a1").command == .sshKey(cluster: "a1", output: nil, force: false))
        #expect(try parse("ssh-key a1 -o - ").command == .sshKey(cluster: "a1", output: "-", force: false))
        #expect(try parse("ssh-key -o k --force a1").command == .sshKey(cluster: "a1", output: "k", force: true))
        #expect(try parse("ssh a1").command == .ssh(SSHCommand(cluster: "a1")))
        #expect(try parse("ssh -i k -l root --dry-run a1 -L 8088:localhost:8088 uptime").command
                == .ssh(SSHCommand(cluster: "a1", identity: "k", user: "root", extra: ["-L", "8088:localhost:8088", "uptime"], dryRun: true)))
        #expect(try parse("ssh a1 -- -v").command == .ssh(SSHCommand(cluster: "a1", extra: ["-v"])))
        #expect(try parse("ssh a1 -v").command == .ssh(SSHCommand(cluster: "a1", extra: ["-v"])))
        #expect(try parse("ssh a1 -h").command == .ssh(SSHCommand(cluster: "a1", extra: ["-h"])))
        #expect(try parse("ssh -h").command == .help("ssh"))
        #expect(try parse("ssh a1 --dry-run -N -L 1:localhost:1 --json").command
                == .ssh(SSHCommand(cluster: "a1", extra: ["-N", "-L", "1:localhost:1"], dryRun: true)))
        #expect(try parse("ssh a1 --json").global.json)
        #expect(try parse("ssh a1 -- ls --dry-run").command == .ssh(SSHCommand(cluster: "a1", extra: ["ls", "--dry-run"])))
        #expect(usageError("ssh a1 --frob")?.message == "unknown option '--frob'")
        #expect(usageError("ssh")?.message == "missing <cluster>")
        #expect(usageError("ssh-key")?.command == "ssh-key")
    }

    @Test func unknownCommandsSuggest() {
        #expect(usageError("lsit")?.message == "'lsit' is not a disco-cli command; did you mean 'list'?")
        #expect(usageError("lsit")?.command == nil)
        #expect(usageError("--frob")?.message == "unknown option '--frob'")
        #expect(usageError("list extra")?.message == "unexpected argument 'extra'")
        #expect(usageError("token --frob")?.command == "token")
    }

    /// A command's flag given a value used to keep the value for the next option that read one (`-w` got `x`).
    @Test func aFlagGivenAValueIsRefused() {
        #expect(usageError("create a --wait=x -w 2")?.message == "--wait takes no value")
        #expect(usageError("components --offline=yes")?.message == "--offline takes no value")
        #expect(usageError("components --offline=yes")?.command == "components")
    }

    @Test func hiddenNamesAreAccepted() throws {
        guard case let .create(create) = try parse("create --name a --components spark --set spark.x=1").command else {
            Issue.record("not create"); return
        }
        #expect(create.spec.name == "a" && create.spec.components == ["spark"] && create.spec.properties.count == 1)
        #expect(try parse("list --no-colour").global.noColor)
        #expect(try parse("completion zsh").command == .completion(.zsh))
        #expect(try parse("help rm").command == .help("delete"))
    }

    @Test func shellWords() throws {
        #expect(try CommandParser.split(#"create "my cluster" -p 'jupyter.password=a b' x\ y"#) == ["create", "my cluster", "-p", "jupyter.password=a b", "x y"])
        #expect(try CommandParser.split("  list   ") == ["list"])
        #expect(try CommandParser.split(#"a "" b"#) == ["a", "", "b"])
        #expect(throws: UsageError.self) { try CommandParser.split("show 'a") }
    }

    @Test func helpPages() {
        for name in CommandParser.commandNames {
            let text = Help.text(for: name)
            #expect(text.hasPrefix("OVERVIEW: "))
            #expect(text.contains("USAGE: disco-cli"))
            #expect(text.contains("  -h, --help              Show help information."))
        }
        #expect(Help.text(for: nil).contains("SUBCOMMANDS:"))
    }
}
