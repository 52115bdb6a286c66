import DiscoCore
@testable import DiscoOpenStack
import Foundation
import Testing

/// Heat of the real cloud: every golden template is accepted by `POST /validate`, as YAML text (the files in
/// `Fixtures/templates/`) and as the JSON DISCO sends (composed by the Planner against the real inventory).
@Suite(.serialized, .enabled(if: RealCloud.isUp, RealCloud.skipReason))
struct RealHeatTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/templates")

    /// The cases of DiscoCore's golden template tests.
    static let cases: [(name: String, workers: Int, components: [String: [String: String]])] = [
        ("bare", 2, [:]),
        ("hadoop", 3, ["hadoop": [:]]),
        ("dashboard-set", 4, ["spark": [:], "hadoop": [:], "zeppelin": [:], "jupyter": ["password": "correct horse battery"]]),
        ("kafka-flink", 3, ["kafka": [:], "flink": [:]]),
        ("zero-workers", 0, ["spark": [:]]),
        ("hundred-workers", 100, ["storm": [:], "hadoop": [:]]),
    ]

    @Test(arguments: cases.map(\.name))
    func goldenYAMLIsValid(_ name: String) async throws {
        let yaml = try String(contentsOf: Self.templates.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let result = try await RealCloud.cloud().heat.validate(template: .string(yaml))
        #expect(result["Parameters"]?["worker_count"] != nil, "\(result.jsonText.prefix(500))")
    }

    @Test(arguments: cases.map(\.name))
    func composedJSONIsValid(_ name: String) async throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let cloud = try RealCloud.cloud()
        var inventory = try await cloud.inventory()
        inventory.quota = QuotaHeadroom()   // validation only: a hundred workers need not fit the project
        let spec = ClusterSpec(name: c.name, master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
                               worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"), workers: c.workers,
                               externalNetwork: "public", components: c.components)
        let key = SSHKeyPair(publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIValidationOnlyKey disco", privateKey: "")
        let plan = try Planner(catalog: .builtIn()).plan(spec, inventory: inventory, context: PlanContext(
            clusterID: UUID().uuidString.lowercased(), keys: ClusterKeys(user: key), secretSalt: "validate"))
        let template = try JSONValue.parse(Data(plan.template.json(pretty: false).utf8))
        let result = try await RealCloud.record(name == "bare" ? "heat/validate-200.json" : "", "POST /validate (the bare cluster's JSON template) against real Heat") { transport in
            try await RealCloud.cloud(transport: transport).heat.validate(template: template)
        }
        #expect(result["Parameters"]?["worker_count"]?["Default"]?.textValue == String(c.workers), "\(result.jsonText.prefix(500))")
    }

    @Test func invalidTemplateIsABadRequest() async throws {
        let template: JSONValue = ["heat_template_version": "2018-08-31",
                                   "resources": ["x": ["type": "OS::Nova::Nonexistent"]]]
        let error = await cloudError {
            _ = try await RealCloud.record("heat/validate-400.json", "POST /validate with an unknown resource type against real Heat") {
                try await RealCloud.cloud(transport: $0).heat.validate(template: template)
            }
        }
        #expect(error?.kind == .badRequest)
        #expect(error?.message.contains("OS::Nova::Nonexistent") == true, "\(String(describing: error))")
    }

    /// What DISCO reads before planning: images, flavors, networks, compute limits, the floating IP quota.
    @Test func inventoryOfTheRealProject() async throws {
        let inventory = try await RealCloud.record("inventory-200.json", "images, flavors, networks, limits and floating IP quota of the real demo project") {
            try await Self.sequentialInventory(RealCloud.cloud(transport: $0))
        }
        #expect(inventory.image("ubuntu-22.04") != nil)
        #expect(Set(inventory.flavors.map(\.name)).isSuperset(of: ["m1.small", "m1.medium", "m1.large"]))
        #expect(inventory.flavor("m1.large")?.ramMB == 8192)
        #expect(inventory.network("public")?.isExternal == true)
        #expect(inventory.quota.instances != nil && inventory.quota.vcpus != nil && inventory.quota.ramMB != nil, "\(inventory.quota)")
        #expect(inventory.quota.floatingIPs != nil, "\(inventory.quota)")
    }

    /// A cluster's credential alone, as DISCO after a restart has it: with Keystone's
    /// `allow_insecure_application_credential_trust_escalation` (set by `scripts/openstack/up.sh`; without it Keystone
    /// refuses delegated tokens the trust Heat makes), it creates and deletes a stack and the stack's trust goes too.
    /// Only an unrestricted credential (DISCO's `unrestricted_credentials`) can then delete itself.
    @Test(.timeLimit(.minutes(5)), arguments: [false, true])
    func aCredentialAloneCreatesAndDeletesAStack(unrestricted: Bool) async throws {
        let user = try RealCloud.user()
        let owner = try RealCloud.provider()
        let issued = try await owner.issueToken(.password(user: user.name, password: user.password, project: user.project,
                                                          domain: "Default"))
        var configuration = RealCloud.configuration()
        configuration.unrestrictedApplicationCredentials = unrestricted
        let delegating = OpenStackCloudProvider(options: try RealCloud.options(), transport: URLSessionTransport(),
                                                configuration: configuration)
        let credential = try await delegating.delegate(token: issued.token, principal: issued.principal,
                                                       name: "disco-it-trust-\(UUID().uuidString.prefix(8).lowercased())")
        let trustsBefore = try await Self.trusts(of: issued)
        // A provider that has seen no user token.
        let alone = try RealCloud.provider()
        let cloud = alone.cloud(credential: credential)
        let template = #"{"heat_template_version":"2018-08-31","resources":{"word":{"type":"OS::Heat::RandomString"}}}"#
        let reference = try await cloud.createStack(StackRequest(name: "disco-it-\(unrestricted ? "u" : "r")\(UUID().uuidString.prefix(6).lowercased())",
                                                                 templateJSON: template))
        var status = try await cloud.stack(reference)?.status
        for _ in 0..<120 where status != .createComplete && status != .createFailed {
            try await Task.sleep(nanoseconds: 500_000_000)
            status = try await cloud.stack(reference)?.status
        }
        #expect(status == .createComplete)
        #expect(try await Self.trusts(of: issued).count == trustsBefore.count + 1, "Heat made no trust for the stack")
        try await cloud.deleteStack(reference)
        var gone = false
        for _ in 0..<120 where !gone {
            try await Task.sleep(nanoseconds: 500_000_000)
            gone = try await cloud.stack(reference) == nil
        }
        #expect(gone)
        #expect(try await Self.trusts(of: issued) == trustsBefore, "the stack's trust was left behind")
        if unrestricted {
            try await alone.revoke(credential)
        } else {
            let refused = await cloudError { try await alone.revoke(credential) }
            #expect(refused?.kind == .forbidden, "a restricted credential deleted itself: \(String(describing: refused))")
            try await owner.revoke(credential)
        }
        let remaining = try await Self.get(issued, "/users/\(issued.principal.userID)/application_credentials")
        let ids = (remaining["application_credentials"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        #expect(!ids.contains(credential.id), "the credential was not deleted")
    }

    /// The ids of the trusts `issued`'s user made.
    static func trusts(of issued: IssuedToken) async throws -> Set<String> {
        let json = try await get(issued, "/OS-TRUST/trusts?trustor_user_id=\(issued.principal.userID)")
        return Set((json["trusts"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
    }

    /// A Keystone `GET` with `issued`'s token.
    static func get(_ issued: IssuedToken, _ path: String) async throws -> JSONValue {
        let url = try #require(URL(string: try RealCloud.options().authURL.absoluteString + path))
        let response = try await URLSessionTransport().send(HTTPRequest(method: "GET", url: url, headers: [
            ("X-Auth-Token", issued.token), ("Accept", "application/json")], timeout: 30))
        guard response.status == 200 else { throw CloudError(.invalidResponse, service: "identity", status: response.status, message: path) }
        return try JSONValue.parse(response.body)
    }

    /// `OpenStackCloud.inventory()` one call after the other, so that a recording replays in order.
    static func sequentialInventory(_ cloud: OpenStackCloud) async throws -> CloudInventory {
        let images = try await cloud.glance.images()
        let flavors = try await cloud.nova.flavors()
        let networks = try await cloud.neutron.networks()
        var quota = try await cloud.nova.headroom()
        quota.floatingIPs = try await cloud.neutron.floatingIPHeadroom(projectID: try await cloud.session.principal().projectID)
        return CloudInventory(images: images, flavors: flavors, networks: networks, quota: quota)
    }
}
