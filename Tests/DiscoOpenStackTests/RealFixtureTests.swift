import DiscoCore
@testable import DiscoOpenStack
import Foundation
import Testing

/// Replays of `Fixtures/openstack/real/`, recorded with `RecordingTransport` from the services of
/// `scripts/openstack/up.sh` (`DISCO_RECORD_FIXTURES=1` with the integration tests rewrites them). They run offline.
@Suite struct RealFixtureTests {
    static let directory = FixtureTransport.directory.appendingPathComponent("real")
    /// A clock stopped when the recordings were made, so that their tokens are fresh.
    let configuration: OpenStackClientConfiguration = {
        let file = RealFixtureTests.directory.appendingPathComponent("identity/password-201.json")
        let recorded = (try? JSONValue.parse(Data(contentsOf: file)))?["recorded"]?.stringValue
        let clock = ManualClock(start: OpenStackDate.parse(recorded) ?? Date())
        return OpenStackClientConfiguration(region: "RegionOne", retry: RetryPolicy(maxAttempts: 3, baseDelay: 0), clock: clock)
    }()

    func transport(_ name: String) throws -> FixtureTransport {
        let transport = try FixtureTransport(name, directory: Self.directory)
        #expect(!transport.isHandwritten)
        return transport
    }

    func keystone(_ transport: FixtureTransport) -> KeystoneClient {
        KeystoneClient(authURL: FixtureTransport.authURL, transport: transport, configuration: configuration)
    }

    @Test func noSecretInAnyRecording() throws {
        let files = (FileManager.default.enumerator(at: Self.directory, includingPropertiesForKeys: nil)?.allObjects ?? [])
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        #expect(files.count >= 8)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.range(of: #"gAAAAA[A-Za-z0-9_=-]{20,}"#, options: .regularExpression) == nil, "a token in \(file.lastPathComponent)")
            #expect(!text.contains("PRIVATE KEY-----"), "a private key in \(file.lastPathComponent)")
            for secret in ["demo-secret", "admin-secret", "disco-os-secret"] {
                #expect(!text.contains(secret), "\(secret) in \(file.lastPathComponent)")
            }
            #expect(!text.contains(#""secret": "s"#) || text.contains(#""secret": "REDACTED""#))
        }
    }

    @Test func passwordAuth() async throws {
        let transport = try transport("identity/password-201.json")
        let token = try await keystone(transport).authenticate(.password(user: .name("demo"), password: "x", project: .name("demo")))
        #expect(token.value == "REDACTED")
        #expect(token.principal.userName == "demo" && token.principal.projectName == "demo")
        #expect(Set(token.principal.roles).isSuperset(of: ["member", "heat_stack_owner"]))
        #expect(token.catalog.endpoint(type: "orchestration", region: "RegionOne")?.absoluteString == "http://127.0.0.1:8004/v1/\(token.principal.projectID)")
        for type in ["compute", "network", "image", "placement", "identity"] { #expect(token.catalog.endpoint(type: type) != nil) }
        #expect(transport.remaining.isEmpty)
    }

    @Test func wrongPassword() async throws {
        let error = await cloudError { _ = try await keystone(try transport("identity/password-401.json")).authenticate(.password(user: .name("demo"), password: "wrong", project: .name("demo"))) }
        #expect(error?.kind == .unauthorized && error?.status == 401)
    }

    @Test func tokenValidation() async throws {
        let ok = try await keystone(try transport("identity/validate-200.json")).validate(token: "REDACTED")
        #expect(ok.principal.userName == "demo")
        let error = await cloudError { _ = try await keystone(try transport("identity/validate-401.json")).validate(token: "gAAAAABnot-a-real-token") }
        #expect(error?.kind == .unauthorized)
    }

    @Test func applicationCredentials() async throws {
        let created = try JSONValue.parse(try Data(contentsOf: Self.directory.appendingPathComponent("identity/appcred-create-201.json")))
        let exchange = try #require(created["exchanges"]?[0])
        #expect(exchange["response"]?["body"]?["application_credential"]?["secret"]?.stringValue == "REDACTED")
        #expect(exchange["request"]?["body"]?["application_credential"]?["unrestricted"] == .bool(false))
        let auth = try JSONValue.parse(try Data(contentsOf: Self.directory.appendingPathComponent("identity/appcred-auth-201.json")))
        let id = try #require(auth["exchanges"]?[0]?["request"]?["body"]?["auth"]?["identity"]?["application_credential"]?["id"]?.stringValue)
        let token = try await keystone(try transport("identity/appcred-auth-201.json")).authenticate(.applicationCredential(id: id, secret: "y"))
        #expect(!token.principal.projectID.isEmpty)
        #expect(token.catalog.endpoint(type: "orchestration") != nil)
    }

    @Test func validateAndInventory() async throws {
        let transport = try transport("inventory-200.json")
        let provider = OpenStackCloudProvider(authURL: FixtureTransport.authURL, transport: transport, configuration: configuration)
        let cloud = provider.cloud(auth: .password(user: .name("demo"), password: "x", project: .name("demo")))
        let inventory = try await RealHeatTests.sequentialInventory(cloud)
        #expect(inventory.image("ubuntu-22.04") != nil)
        #expect(inventory.flavor("m1.large")?.vcpus == 4)
        #expect(inventory.network("public")?.isExternal == true)
        #expect(inventory.quota.instances != nil && inventory.quota.floatingIPs != nil)
        let validate = try FixtureTransport("heat/validate-400.json", directory: Self.directory)
        let heat = OpenStackCloudProvider(authURL: FixtureTransport.authURL, transport: validate, configuration: configuration)
            .cloud(auth: .password(user: .name("demo"), password: "x", project: .name("demo"))).heat
        let error = await cloudError { _ = try await heat.validate(template: ["heat_template_version": "2018-08-31", "resources": ["x": ["type": "OS::Nova::Nonexistent"]]]) }
        #expect(error?.kind == .badRequest)
        #expect(error?.message.contains("OS::Nova::Nonexistent") == true)
    }
}
