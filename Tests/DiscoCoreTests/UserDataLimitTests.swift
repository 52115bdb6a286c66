import Foundation
import Testing
@testable import DiscoCore

/// Nova refuses a server whose base64-encoded user data is over 65,535 bytes: a script over the limit goes packed
/// (``NodeUserData``), and the planner refuses a plan whose user data is over it even so, naming the node, the sizes
/// and the limit.
@Suite struct UserDataLimitTests {
    /// A catalog whose `big` component's master fragment echoes `bytes` bytes that do not compress (pseudo-random
    /// letters and digits, the same every run).
    static func catalog(incompressibleBytes bytes: Int) throws -> ComponentCatalog {
        let builtIn = try ComponentCatalog.builtIn()
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let noise = (0 ..< bytes).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int(state >> 33) % alphabet.count]
        }
        let big = Component(manifest: ComponentManifest(name: "big", version: "1", summary: "big", fragments: [.master: "master.sh"]),
                            fragments: [.master: "  echo '\(String(decoding: noise, as: UTF8.self))'\n"])
        return try ComponentCatalog(components: Array(builtIn.components.values) + [big], prelude: builtIn.prelude)
    }

    @Test func limitIsNovasBase64LimitLessHeatsSubstitutions() {
        #expect(UserDataLimit.encodedSize(of: 49_149) == 65_532)
        #expect(UserDataLimit.encodedSize(of: 49_150) == 65_536)
        #expect(UserDataLimit.maxScriptBytes == 49_149 - UserDataLimit.substitutionAllowance)
    }

    /// Every built-in component at once, with the values schemathesis found refused before packing (the master's
    /// script was 47,631 bytes): planned, the master's user data packed to under three fifths of the limit (24,845 bytes).
    @Test func everyBuiltInComponentAtOnceFitsPacked() throws {
        let planner = Planner(catalog: try .builtIn())
        let components: [String: [String: String]] = [
            "hadoop": ["vmem_pmem_ratio": "94.4", "datanode_reserved_mb": "486077", "replication": "auto",
                       "worker_timeout_seconds": "56", "vmem_check": "false"],
            "jupyter": ["version_spec": ">=4" + String(repeating: "0", count: 31) + ",<5" + String(repeating: "9", count: 31), "tls": "false", "password": "longenough"],
            "storm": ["worker_timeout_seconds": "066", "slots_per_supervisor": "54"], "spark": [:],
            "kafka": ["broker_timeout_seconds": "00495", "retention_hours": "182925", "num_partitions": "417"],
            "zeppelin": [:], "flink": ["slots_per_taskmanager": "55", "worker_timeout_seconds": "5647"], "base": [:], "zookeeper": [:],
        ]
        // The longest name (it recurs in the script) and every one of them, as in the request schemathesis sent.
        let name = "A" + String(repeating: "0", count: ClusterSpec.maxNameLength - 1)
        // Keys as long as ssh-keygen's ed25519 ones (the fixed context's are short).
        let privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + String(repeating: String(repeating: "b", count: 70) + "\n", count: 6)
            + "-----END OPENSSH PRIVATE KEY-----\n"
        let pair = SSHKeyPair(publicKey: "ssh-ed25519 " + String(repeating: "A", count: 68) + " disco-\(name)", privateKey: privateKey)
        let context = PlanContext(clusterID: PlanContext.fixed.clusterID, keys: ClusterKeys(user: pair), secretSalt: "0123456789ab")
        let plan = try planner.plan(.make(name: name, components: components, flavor: "m1.xlarge"), inventory: .standard, context: context)
        #expect(plan.masterScript.utf8.count > UserDataLimit.maxScriptBytes)
        let userData = try #require(plan.template.masterUserData)
        #expect(userData.hasPrefix("#!/bin/bash\n# DISCO install script (master), packed"))
        #expect(userData.utf8.count < UserDataLimit.maxScriptBytes * 3 / 5, "\(userData.utf8.count) bytes")
    }

    @Test func userDataOverNovasLimitEvenPackedIsRefusedNamingNodeAndSizes() throws {
        let planner = Planner(catalog: try Self.catalog(incompressibleBytes: 60_000))
        let spec = ClusterSpec.make(components: ["big": [:]])
        let error = #expect(throws: SpecValidationError.self) { try planner.plan(spec, inventory: .standard, context: .fixed) }
        let problems = error?.problems ?? []
        // The worker's script (no `big` fragment) stays under the limit.
        #expect(problems.map(\.path) == ["components"])
        let master = try #require(problems.first).description
        #expect(master.contains("the master's user_data "), "\(master)")
        #expect(master.contains("-byte install script packed to "), "\(master)")
        #expect(master.contains("plus up to 1,536 bytes Heat fills in), over Nova's limit of 65,535 bytes"), "\(master)")
        #expect(master.contains("the master's user data may have at most 47,613 bytes"), "\(master)")
    }

    @Test func aScriptAtTheLimitGoesAsItIsAndOneByteMoreGoesPacked() {
        let atLimit = "#!/bin/bash\n" + String(repeating: "x", count: UserDataLimit.maxScriptBytes - 13) + "\n"
        #expect(atLimit.utf8.count == UserDataLimit.maxScriptBytes)
        #expect(NodeUserData.make(script: atLimit, role: .master) == atLimit)
        let over = atLimit + "y"
        let packed = NodeUserData.make(script: over, role: .master)
        #expect(packed != over && packed.contains("python3 - /var/lib/disco-install/master.sh"))
    }

    /// `user_data = packed`: a small cluster's scripts go packed too, and unpack to the scripts the plan composed.
    @Test func thePackedFormPacksEveryScriptWhateverItsSize() throws {
        let planner = Planner(catalog: try .builtIn(), options: PlanOptions(userData: .packed))
        let plan = try planner.plan(.make(components: ["zookeeper": [:]]), inventory: .standard, context: .fixed)
        #expect(plan.masterScript.utf8.count < UserDataLimit.maxScriptBytes)
        let userData = try #require(plan.template.masterUserData)
        #expect(userData.hasPrefix("#!/bin/bash\n# DISCO install script (master), packed"))
        #expect(userData.utf8.count < plan.masterScript.utf8.count)
        let unplanned = try Planner(catalog: try .builtIn()).plan(.make(components: ["zookeeper": [:]]), inventory: .standard, context: .fixed)
        #expect(unplanned.template.masterUserData == unplanned.masterScript)
    }
}

extension HeatTemplate {
    /// The `user_data` text of the master (the template of its `str_replace`).
    var masterUserData: String? {
        guard let master = resources.first(where: { $0.0 == "master" })?.1,
              let userData = master.properties.first(where: { $0.0 == "user_data" })?.1,
              case let .string(text) = userData["str_replace"]?["template"] else { return nil }
        return text
    }
}
