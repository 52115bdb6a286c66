import DiscoCore
@testable import DiscoOpenStack
import Foundation
import Testing

let fixtureReference = StackReference(name: "disco-c1", id: "0d6a1f6e-4f3b-4c2a-9a51-3c7e8f9b1a20")
let fixtureProject = "8c1ad4bb7f4d4a6b9f6e8b7f0a1c2d3e"
let fixtureUser = "5f2b8b3e6c1d4e7fa9b0c1d2e3f4a5b6"

@Suite struct TransportTests {
    @Test func fixtureTransportFailsLoudlyOnAnUnexpectedRequest() async throws {
        let transport = try FixtureTransport("heat/find-302.json")
        #expect(transport.isHandwritten)
        let request = HTTPRequest(method: "DELETE", url: URL(string: "http://127.0.0.1:8004/v1/p/stacks/x")!)
        do {
            _ = try await transport.send(request)
            Issue.record("no error")
        } catch let error as FixtureMismatch {
            #expect(error.description.contains("unexpected request DELETE /v1/p/stacks/x"))
            #expect(error.description.contains("expected POST /v3/auth/tokens"))
        }
    }

    @Test func fixtureMismatchIsNotRetriedOrDisguised() async throws {
        let (session, _) = try fixtureSession("identity/password-201.json")
        await #expect(throws: FixtureMismatch.self) { _ = try await HeatClient(session: session).show(fixtureReference) }
    }

    @Test func recordingTransportRedactsSecrets() async throws {
        let inner = try FixtureTransport("identity/appcred-create-201.json")
        _ = inner // the include-less fixture is replayed below
        let sim = SimulatedCloud(configuration: .init(timing: .instant), clock: ManualClock())
        let recorder = RecordingTransport(wrapping: sim)
        let provider = OpenStackCloudProvider(authURL: sim.authURL, transport: recorder,
                                              configuration: .init(retry: .none, clock: ManualClock()))
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let credential = try await provider.delegate(token: issued.token, principal: issued.principal, name: "rec")
        let text = recorder.fixture(description: "test").jsonText
        #expect(!text.contains(issued.token))
        #expect(!text.contains(credential.secret))
        #expect(!text.contains("\"password\":\"demo\""))
        #expect(text.contains("REDACTED"))
        // What was recorded replays.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString)/x.json")
        try recorder.write(to: url, description: "test")
        let replay = try FixtureTransport(url.lastPathComponent, directory: url.deletingLastPathComponent())
        #expect(replay.remaining.count == 2)
        #expect(!replay.isHandwritten)
    }

    @Test func retryDelaysUseFullJitterAndRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 4)
        for retry in 1...6 {
            let delay = policy.delay(beforeRetry: retry, retryAfter: nil)
            #expect(delay >= 0 && delay <= min(4, pow(2, Double(retry - 1))))
        }
        #expect(policy.delay(beforeRetry: 1, retryAfter: "7") == 7)
        #expect(policy.delay(beforeRetry: 1, retryAfter: "600") == 60)
    }

    @Test func errorBodiesOfEachServiceBecomeReadableReasons() {
        func error(_ status: Int, _ body: String) -> CloudError {
            OpenStackErrors.cloudError(service: "x", response: HTTPResponse(status: status, body: Data(body.utf8)))
        }
        #expect(error(403, #"{"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}"#).kind == .quotaExceeded)
        #expect(error(400, #"{"badRequest": {"code": 400, "message": "Invalid flavorRef provided."}}"#).message == "Invalid flavorRef provided.")
        #expect(error(404, #"{"NeutronError": {"type": "NetworkNotFound", "message": "Network x could not be found.", "detail": ""}}"#).kind == .notFound)
        #expect(error(409, #"{"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: ['floatingip'].", "detail": ""}}"#).kind == .quotaExceeded)
        #expect(error(409, #"{"code": 409, "title": "Conflict", "explanation": "…", "error": {"type": "StackExists", "message": "The Stack (a) already exists."}}"#).message == "The Stack (a) already exists.")
        #expect(error(401, #"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#).kind == .unauthorized)
        #expect(error(413, "Request Entity Too Large: body too large").kind == .badRequest)
        #expect(error(413, #"{"overLimit": {"code": 413, "message": "Quota exceeded"}}"#).kind == .quotaExceeded)
        #expect(error(502, "<html><body><h1>502 Bad Gateway</h1></body></html>").message == "502 Bad Gateway")
        #expect(error(503, "").message == "HTTP 503 with an empty body")
        #expect(error(429, "slow down").kind == .unavailable)
    }

    @Test func suggestions() {
        #expect(NameSuggestions.suggest("ubuntu", from: ["ubuntu-22.04", "debian-12"]) == ["ubuntu-22.04"])
        #expect(NameSuggestions.suggest("zzzzzz", from: ["m1.small"]).isEmpty)
    }
}

@Suite struct IdentityFixtureTests {
    let configuration = OpenStackClientConfiguration(retry: RetryPolicy(maxAttempts: 3, baseDelay: 0), clock: RecordingClock())

    @Test func passwordAuthParsesTokenPrincipalAndCatalog() async throws {
        let transport = try FixtureTransport("identity/password-201.json")
        let keystone = KeystoneClient(authURL: URL(string: "http://127.0.0.1:5000")!, transport: transport, configuration: configuration)
        #expect(keystone.authURL.absoluteString == "http://127.0.0.1:5000/v3")
        let token = try await keystone.authenticate(.password(user: .name("demo"), password: "demo-secret", project: .name("demo")))
        #expect(token.value.hasPrefix("gAAAAAB"))
        #expect(token.principal == Principal(userID: fixtureUser, userName: "demo", projectID: fixtureProject, projectName: "demo",
                                             roles: ["member", "heat_stack_owner"], expiresAt: try #require(OpenStackDate.parse("2027-01-15T12:00:00Z"))))
        #expect(token.catalog.endpoint(type: "orchestration")?.absoluteString == "http://127.0.0.1:8004/v1/\(fixtureProject)")
        #expect(token.catalog.endpoint(type: "identity", interface: "internalURL")?.absoluteString == "http://127.0.0.1:5000/v3")
        #expect(token.catalog.endpoint(type: "orchestration", region: "Elsewhere") == nil)
        #expect(transport.remaining.isEmpty)
    }

    @Test(arguments: [
        ("identity/password-401.json", CloudError.Kind.unauthorized, 401, "The request you have made requires authentication."),
        ("identity/password-503.json", .unavailable, 503, "Service Unavailable"),
    ])
    func passwordAuthErrors(fixture: String, kind: CloudError.Kind, status: Int, message: String) async throws {
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: try FixtureTransport(fixture), configuration: configuration)
        let error = await cloudError { _ = try await keystone.authenticate(.password(user: .name("demo"), password: "x", project: .name("demo"))) }
        #expect(error == CloudError(kind, service: "identity", status: status, message: message))
    }

    @Test func applicationCredentialAuth() async throws {
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: try FixtureTransport("identity/appcred-auth-201.json"), configuration: configuration)
        let token = try await keystone.authenticate(.applicationCredential(id: "ac1", secret: "s"))
        #expect(token.principal.projectID == fixtureProject)
    }

    @Test func legacyV2Auth() async throws {
        let keystone = KeystoneClient(authURL: URL(string: "http://127.0.0.1:5000/v2.0/")!, transport: try FixtureTransport("identity/v2-tokens-200.json"), configuration: configuration)
        #expect(keystone.isV2)
        let token = try await keystone.authenticate(.password(user: .name("demo"), password: "p", project: .name("demo")))
        #expect(token.value == "v2-token-id")
        #expect(token.principal.projectName == "demo" && token.principal.roles == ["_member_"])
        #expect(token.catalog.endpoint(type: "orchestration", region: "RegionOne", interface: "internal")?.host == "10.0.0.1")
        let error = await cloudError { _ = try await keystone.authenticate(.applicationCredential(id: "a", secret: "b")) }
        #expect(error?.kind == .badRequest)
    }

    @Test func validateToken() async throws {
        let provider = OpenStackCloudProvider(authURL: FixtureTransport.authURL, transport: try FixtureTransport("identity/validate-200.json"), configuration: configuration)
        let principal = try await provider.verify(token: "gAAAAABx")
        #expect(principal.userName == "demo")
        #expect(try await provider.verify(token: "gAAAAABx") == principal) // cached: no second exchange
    }

    @Test(arguments: ["identity/validate-404.json", "identity/validate-401.json"])
    func validateInvalidTokenIsUnauthorized(fixture: String) async throws {
        let provider = OpenStackCloudProvider(authURL: FixtureTransport.authURL, transport: try FixtureTransport(fixture), configuration: configuration)
        let error = await cloudError { _ = try await provider.verify(token: "gAAAAABnope") }
        #expect(error?.kind == .unauthorized)
        #expect(error?.service == "identity")
    }

    @Test func applicationCredentialCreate() async throws {
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: try FixtureTransport("identity/appcred-create-201.json"), configuration: configuration)
        let credential = try await keystone.createApplicationCredential(token: "t", userID: fixtureUser, projectID: fixtureProject, name: "disco-c1", expiresAt: Date())
        #expect(credential == DelegatedCredential(id: "ac1", secret: "REDACTED-secret", projectID: fixtureProject, userID: fixtureUser))
    }

    @Test(arguments: [("identity/appcred-create-409.json", CloudError.Kind.conflict), ("identity/appcred-create-403.json", .forbidden)])
    func applicationCredentialCreateErrors(fixture: String, kind: CloudError.Kind) async throws {
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: try FixtureTransport(fixture), configuration: configuration)
        let error = await cloudError { _ = try await keystone.createApplicationCredential(token: "t", userID: fixtureUser, projectID: fixtureProject, name: "disco-c1", expiresAt: nil) }
        #expect(error?.kind == kind)
    }

    @Test(arguments: ["identity/appcred-delete-204.json", "identity/appcred-delete-404.json"])
    func applicationCredentialDeleteSucceedsWhenGone(fixture: String) async throws {
        let transport = try FixtureTransport(fixture)
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: transport, configuration: configuration)
        try await keystone.deleteApplicationCredential(token: "t", userID: fixtureUser, id: "ac1")
        #expect(transport.remaining.isEmpty)
    }

    @Test func openrcVariables() throws {
        let options = try #require(OpenStackAuthOptions.fromOpenRC("""
            export OS_AUTH_URL=http://127.0.0.1:5000/v3
            export OS_USERNAME="demo"
            export OS_PASSWORD='demo-secret'
            export OS_PROJECT_NAME=demo
            export OS_USER_DOMAIN_NAME=Default
            export OS_PROJECT_DOMAIN_NAME=Default
            export OS_REGION_NAME=RegionOne
            export OS_INTERFACE=internalURL
            """))
        #expect(options.method == .password(user: IdentityReference(name: "demo", domainName: "Default"), password: "demo-secret",
                                            project: IdentityReference(name: "demo", domainName: "Default")))
        #expect(options.region == "RegionOne" && options.interface == "internal")
        let appCredential = try #require(OpenStackAuthOptions.fromEnvironment(["OS_AUTH_URL": "http://k/v3", "OS_AUTH_TYPE": "v3applicationcredential",
                                                                                "OS_APPLICATION_CREDENTIAL_ID": "i", "OS_APPLICATION_CREDENTIAL_SECRET": "s"]))
        #expect(appCredential.method == .applicationCredential(id: "i", secret: "s"))
        let token = try #require(OpenStackAuthOptions.fromEnvironment(["OS_AUTH_URL": "http://k/v3", "OS_TOKEN": "t", "OS_PROJECT_ID": "p"]))
        #expect(token.method == .token("t", project: .id("p")))
        let legacy = try #require(OpenStackAuthOptions.fromEnvironment(["OS_AUTH_URL": "http://k/v2.0", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_TENANT_NAME": "t"]))
        #expect(legacy.method == .password(user: IdentityReference(name: "u", domainName: "Default"), password: "p", project: IdentityReference(name: "t", domainName: "Default")))
        #expect(OpenStackAuthOptions.fromEnvironment(["OS_USERNAME": "u"]) == nil)
    }
}

@Suite struct HeatFixtureTests {
    func heat(_ fixtures: String..., clock: RecordingClock = RecordingClock()) throws -> (HeatClient, OpenStackCloud, FixtureTransport) {
        let transport = try FixtureTransport(exchanges: fixtures.flatMap { try FixtureTransport($0).remaining })
        let configuration = OpenStackClientConfiguration(region: "RegionOne", retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.5), clock: clock)
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: transport, configuration: configuration)
        let tokens = TokenManager(keystone: keystone, method: .password(user: .name("demo"), password: "demo-secret", project: .name("demo")), clock: clock)
        let session = OpenStackSession(tokens: tokens, transport: transport, configuration: configuration)
        return (HeatClient(session: session), OpenStackCloud(session: session), transport)
    }

    var request: StackRequest {
        StackRequest(name: "disco-c1", templateJSON: #"{"heat_template_version":"2018-08-31","resources":{}}"#,
                     parameters: ["worker_count": "3"], tags: ["disco", "cluster-c1"], timeoutMinutes: 60)
    }

    @Test func create() async throws {
        let (_, cloud, transport) = try heat("heat/create-201.json")
        #expect(try await cloud.createStack(request) == fixtureReference)
        #expect(transport.remaining.isEmpty)
    }

    @Test func createOfAnExistingNameReturnsIt() async throws {
        let (_, cloud, transport) = try heat("heat/create-409-existing.json")
        #expect(try await cloud.createStack(request) == fixtureReference)
        #expect(transport.remaining.isEmpty)
    }

    @Test func createRetries503HonouringRetryAfter() async throws {
        let clock = RecordingClock()
        let (_, cloud, _) = try heat("heat/create-503-201.json", clock: clock)
        #expect(try await cloud.createStack(request) == fixtureReference)
        #expect(clock.recorded.count == 2)
        #expect(clock.recorded.first == 2)
    }

    @Test(arguments: [
        ("heat/create-400.json", CloudError.Kind.badRequest, 400, "Property error: resources.master.properties.flavor: Error validating value 'm1.huge': The Flavor ID (m1.huge) could not be found."),
        ("heat/create-413.json", .quotaExceeded, 413, "Quota exceeded for stacks: maximum of 512 stacks per project reached"),
        ("heat/create-401.json", .unauthorized, 401, "401 Unauthorized This server could not verify that you are authorized to access the document you requested."),
    ])
    func createErrors(fixture: String, kind: CloudError.Kind, status: Int, message: String) async throws {
        let clock = RecordingClock()
        let (_, cloud, transport) = try heat(fixture, clock: clock)
        let error = await cloudError { _ = try await cloud.createStack(request) }
        #expect(error == CloudError(kind, service: "orchestration", status: status, message: message))
        #expect(clock.recorded.isEmpty) // not retried
        #expect(transport.remaining.isEmpty)
    }

    @Test func showOfASettledStackReadsItsOutputsOnce() async throws {
        let (_, cloud, transport) = try heat("heat/show-200.json")
        let snapshot = try #require(try await cloud.stack(fixtureReference))
        #expect(transport.remaining.isEmpty) // the read without outputs, then the one with them
        #expect(snapshot.status == .createComplete)
        #expect(snapshot.tags == ["disco", "cluster-c1"])
        #expect(snapshot.outputs == ["external_ip": "203.0.113.148", "worker_addresses": #"["10.20.0.11","10.20.0.12","10.20.0.13"]"#,
                                     "install_result": #"{"base": "base ready"}"#])
        #expect(snapshot.creationTime == OpenStackDate.parse("2027-01-15T11:00:05Z"))
    }

    /// The outputs read while the stack was in progress (its servers up) are final: once it completes, only the other
    /// outputs are read, one by one, and no address is resolved again.
    @Test func showOfASettledStackReadsOnlyTheOutputsNotKnownYet() async throws {
        let (_, cloud, transport) = try heat("heat/show-200-known-outputs.json")
        let known = ["external_ip": "203.0.113.148", "worker_addresses": #"["10.20.0.11"]"#]
        let snapshot = try #require(try await cloud.stack(fixtureReference, knownOutputs: known))
        #expect(transport.remaining.isEmpty) // the show without outputs, the keys, install_result
        #expect(snapshot.status == .createComplete)
        #expect(snapshot.outputs == known.merging(["install_result": #"{"base": "base ready"}"#]) { old, _ in old })
    }

    @Test func showOfAStackInProgressLeavesOutputsOut() async throws {
        let (_, cloud, transport) = try heat("heat/show-in-progress.json")
        let snapshot = try #require(try await cloud.stack(fixtureReference))
        #expect(snapshot.status == .createInProgress)
        #expect(snapshot.outputs.isEmpty)
        #expect(transport.remaining.isEmpty)
    }

    @Test func showOfAGoneStackIsNil() async throws {
        let (_, cloud, _) = try heat("heat/show-404.json")
        #expect(try await cloud.stack(fixtureReference) == nil)
    }

    @Test func showRetries503() async throws {
        let clock = RecordingClock()
        let (_, cloud, _) = try heat("heat/show-503-200.json", clock: clock)
        #expect(try await cloud.stack(fixtureReference)?.status == .createComplete)
        #expect(clock.recorded.count == 2)
        #expect(clock.recorded.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func showGivesUpAfterMaxAttempts() async throws {
        let (_, cloud, transport) = try heat("heat/show-503.json")
        let error = await cloudError { _ = try await cloud.stack(fixtureReference) }
        #expect(error == CloudError(.unavailable, service: "orchestration", status: 503, message: "Service Unavailable"))
        #expect(transport.remaining.isEmpty)
    }

    @Test func showRenewsTheTokenOnceAfter401() async throws {
        let (_, cloud, transport) = try heat("heat/show-401-renew.json")
        #expect(try await cloud.stack(fixtureReference)?.status == .createComplete)
        #expect(transport.remaining.isEmpty)
    }

    @Test func findFollowsTheRedirect() async throws {
        let (client, _, _) = try heat("heat/find-302.json")
        #expect(try await client.find(name: "disco-c1") == fixtureReference)
    }

    @Test func findOfAnUnknownNameIsNil() async throws {
        let (client, _, _) = try heat("heat/find-404.json")
        #expect(try await client.find(name: "nope") == nil)
    }

    @Test func listByTag() async throws {
        let (_, cloud, _) = try heat("heat/list-tags-200.json")
        let stacks = try await cloud.stacks(taggedWith: "disco")
        #expect(stacks.map(\.reference) == [fixtureReference])
        #expect(stacks.first?.outputs.isEmpty == true)
    }

    @Test func update() async throws {
        let (_, cloud, transport) = try heat("heat/update-202.json")
        try await cloud.updateStack(fixtureReference, parameters: ["worker_count": "5"])
        #expect(transport.remaining.isEmpty)
    }

    @Test(arguments: [("heat/update-404.json", CloudError.Kind.notFound), ("heat/update-409.json", .conflict), ("heat/update-400-quota.json", .quotaExceeded)])
    func updateErrors(fixture: String, kind: CloudError.Kind) async throws {
        let (_, cloud, _) = try heat(fixture)
        let error = await cloudError { try await cloud.updateStack(fixtureReference, parameters: ["worker_count": "5"]) }
        #expect(error?.kind == kind)
        #expect(error?.service == "orchestration")
    }

    @Test(arguments: ["heat/delete-204.json", "heat/delete-404.json"])
    func deleteSucceedsWhenGone(fixture: String) async throws {
        let (_, cloud, transport) = try heat(fixture)
        try await cloud.deleteStack(fixtureReference)
        #expect(transport.remaining.isEmpty)
    }

    @Test func deleteDuringAnActionConflicts() async throws {
        let (_, cloud, _) = try heat("heat/delete-409.json")
        let error = await cloudError { try await cloud.deleteStack(fixtureReference) }
        #expect(error == CloudError(.conflict, service: "orchestration", status: 409, message: "Stack disco-c1 already has an action (UPDATE) in progress."))
    }

    @Test func actions() async throws {
        let (_, cloud, transport) = try heat("heat/action-suspend-200.json")
        try await cloud.perform(.suspend, on: fixtureReference)
        #expect(transport.remaining.isEmpty)
        let (_, busy, _) = try heat("heat/action-409.json")
        let error = await cloudError { try await busy.perform(.resume, on: fixtureReference) }
        #expect(error?.kind == .conflict)
    }

    @Test func eventsFollowMarkerPages() async throws {
        let (client, _, transport) = try heat("heat/events-paged.json")
        let events = try await client.events(fixtureReference, after: "ev-0", limit: 2)
        #expect(events.map(\.id) == ["ev-1", "ev-2", "ev-3", "ev-4"])
        #expect(events[2] == StackEvent(id: "ev-3", resourceName: "install_handle", resourceStatus: "SIGNAL_COMPLETE",
                                        resourceStatusReason: "Signal: status:SUCCESS reason:base ready",
                                        eventTime: try #require(OpenStackDate.parse("2027-01-15T11:00:03Z"))))
        #expect(transport.remaining.isEmpty)
        let (_, gone, _) = try heat("heat/events-404.json")
        let error = await cloudError { _ = try await gone.events(of: fixtureReference, after: nil) }
        #expect(error?.kind == .notFound)
    }

    @Test func outputValidateAndPreview() async throws {
        #expect(try await heat("heat/output-200.json").0.output(fixtureReference, key: "external_ip") == "203.0.113.148")
        let validated = try await heat("heat/validate-200.json").0.validate(template: ["heat_template_version": "2018-08-31"])
        #expect(validated["Parameters"]?["worker_count"]?["Type"] == "Number")
        let preview = try await heat("heat/preview-200.json").0.preview(HeatStackCreate(name: "disco-c1", template: ["heat_template_version": "2018-08-31"]))
        #expect(preview["resources"]?[0]?["resource_type"] == "OS::Neutron::Net")
        let invalid = try heat("heat/validate-400.json").0
        let error = await cloudError { _ = try await invalid.validate(template: [:]) }
        #expect(error?.kind == .badRequest)
        #expect(error?.message == "The template version is invalid: Template version was not provided")
    }
}

@Suite struct LookupFixtureTests {
    func make(_ fixtures: String...) throws -> (OpenStackCloud, FixtureTransport) {
        let transport = try FixtureTransport(exchanges: fixtures.flatMap { try FixtureTransport($0).remaining })
        let clock = RecordingClock()
        let configuration = OpenStackClientConfiguration(region: "RegionOne", retry: RetryPolicy(maxAttempts: 3, baseDelay: 0), clock: clock)
        let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: transport, configuration: configuration)
        let tokens = TokenManager(keystone: keystone, method: .password(user: .name("demo"), password: "demo-secret", project: .name("demo")), clock: clock)
        return (OpenStackCloud(session: OpenStackSession(tokens: tokens, transport: transport, configuration: configuration)), transport)
    }

    @Test func flavors() async throws {
        let (cloud, _) = try make("compute/flavors-200.json")
        let flavors = try await cloud.nova.flavors()
        #expect(flavors == [Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMB: 512, diskGB: 1),
                            Flavor(id: "3", name: "m1.large", vcpus: 4, ramMB: 8192, diskGB: 80)])
        let (forbidden, _) = try make("compute/flavors-403.json")
        let error = await cloudError { _ = try await forbidden.nova.flavors() }
        #expect(error == CloudError(.forbidden, service: "compute", status: 403, message: "Policy doesn't allow os_compute_api:flavors to be performed."))
    }

    @Test func limits() async throws {
        let (cloud, _) = try make("compute/limits-200.json")
        #expect(try await cloud.nova.headroom() == QuotaHeadroom(instances: 6, vcpus: 4, ramMB: 18432, floatingIPs: nil))
        let (quota, _) = try make("compute/limits-403-quota.json")
        let error = await cloudError { _ = try await quota.nova.headroom() }
        #expect(error?.kind == .quotaExceeded)
        #expect(error?.message == "Quota exceeded for cores: Requested 4, but already used 20 of 20 cores")
    }

    @Test func externalNetworks() async throws {
        let (cloud, _) = try make("network/networks-external-200.json")
        #expect(try await cloud.neutron.networks(externalOnly: true) == [Network(id: "net-public", name: "public", isExternal: true)])
        let (down, transport) = try make("network/networks-503.json")
        let error = await cloudError { _ = try await down.neutron.networks(externalOnly: false) }
        #expect(error == CloudError(.unavailable, service: "network", status: 503, message: "The server is currently unavailable."))
        #expect(transport.remaining.isEmpty)
    }

    @Test func floatingIPQuota() async throws {
        let (cloud, _) = try make("network/quotas-200.json")
        #expect(try await cloud.neutron.floatingIPHeadroom(projectID: fixtureProject) == 6)
        let (over, _) = try make("network/quotas-409.json")
        let error = await cloudError { _ = try await over.neutron.floatingIPHeadroom(projectID: fixtureProject) }
        #expect(error?.kind == .quotaExceeded)
    }

    @Test func imagesFollowNextLinks() async throws {
        let (cloud, transport) = try make("image/images-200.json")
        #expect(try await cloud.glance.images().map(\.name) == ["ubuntu-22.04", "debian-12"])
        #expect(transport.remaining.isEmpty)
        let (missing, _) = try make("image/images-404-html.json")
        let error = await cloudError { _ = try await missing.glance.images() }
        #expect(error == CloudError(.notFound, service: "image", status: 404, message: "404 Not Found 404 Not Found The resource could not be found."))
    }
}
