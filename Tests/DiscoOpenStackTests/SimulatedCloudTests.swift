import DiscoCore
@testable import DiscoOpenStack
import Foundation
import Testing

@Suite struct SimulatedCloudTests {
    @Test func fullStackReachesCreateCompleteWithOutputsAndSignalsInOrder() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .createComplete)
        #expect(snapshot.statusReason == "Stack CREATE completed successfully")
        #expect(snapshot.tags == ["disco"])
        let externalIP = try #require(snapshot.outputs["external_ip"])
        #expect(externalIP.hasPrefix("203.0.113."))
        #expect(snapshot.outputs["master_address"]?.hasPrefix("10.20.0.") == true)
        #expect(snapshot.outputs["ssh_key_name"] == "disco-c1-key")
        let workers = try JSONValue.parse(try #require(snapshot.outputs["worker_addresses"])).arrayValue ?? []
        #expect(workers.count == 3)
        #expect(workers.allSatisfy { $0.stringValue?.hasPrefix("10.20.0.") == true })
        #expect(Set(workers) .count == 3)
        let result = try JSONValue.parse(try #require(snapshot.outputs["install_result"]))
        #expect(result == ["base": "base ready", "hadoop": "hadoop ready", "spark": "spark ready"])

        let events = try await cloud.events(of: reference, after: nil)
        let signals = events.filter { $0.resourceStatus == "SIGNAL_COMPLETE" }
        #expect(signals.map(\.resourceName) == ["install_handle", "install_handle", "install_handle"])
        #expect(signals.map(\.resourceStatusReason) == ["Signal: status:SUCCESS reason:base ready",
                                                        "Signal: status:SUCCESS reason:hadoop ready",
                                                        "Signal: status:SUCCESS reason:spark ready"])
        func index(_ name: String, _ status: String) -> Int? {
            events.firstIndex { $0.resourceName == name && $0.resourceStatus == status }
        }
        let firstSignal = try #require(events.firstIndex { $0.resourceStatus == "SIGNAL_COMPLETE" })
        #expect(try #require(index("master", "CREATE_COMPLETE")) < firstSignal)
        #expect(try #require(index("workers", "CREATE_COMPLETE")) < firstSignal)
        #expect(try #require(index("install_wait", "CREATE_COMPLETE")) > events.lastIndex { $0.resourceStatus == "SIGNAL_COMPLETE" }!)
        #expect(events.first?.resourceName == "disco-c1" && events.first?.resourceStatus == "CREATE_IN_PROGRESS")
        #expect(events.last?.resourceName == "disco-c1" && events.last?.resourceStatus == "CREATE_COMPLETE")
        // Members of the group have events too.
        #expect(index("2", "CREATE_COMPLETE") != nil)
        // Marker paging returns only newer events.
        let newer = try await cloud.events(of: reference, after: events[events.count - 3].id)
        #expect(newer.map(\.id) == events.suffix(2).map(\.id))
    }

    @Test func realisticTimingTakesAboutTenSecondsOnTheClock() async throws {
        let harness = SimHarness(timing: .realistic)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        #expect(try await cloud.stack(reference)?.status == .createInProgress)
        var seen: [StackEvent] = []
        var marker: String?
        var elapsed = 0
        while try await cloud.stack(reference)?.status == .createInProgress, elapsed < 30 {
            harness.clock.advance(by: 1)
            elapsed += 1
            let page = try await cloud.events(of: reference, after: marker)
            seen += page
            marker = page.last?.id ?? marker
        }
        #expect((6...12).contains(elapsed))
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .createComplete)
        #expect(Set(seen.map(\.id)).count == seen.count)
        #expect(seen.filter { $0.resourceStatus == "SIGNAL_COMPLETE" }.count == 3)
        // Times are non-decreasing.
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.eventTime <= $1.eventTime })
    }

    @Test func outputsAreMissingWhileResourcesAreNotCreated() async throws {
        let harness = SimHarness(timing: .realistic)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        // Heat itself resolves what it can at once (get_resource), not what is not created yet.
        let session = try #require(cloud as? OpenStackCloud).session
        let shown = try #require(try await HeatClient(session: session).show(reference))
        #expect(shown.outputs["external_ip"] == nil)
        #expect(shown.outputs["ssh_key_name"] != nil)
        // DISCO reads a stack in progress without its outputs (each costs Heat calls to Nova and Neutron).
        harness.sim.clearRequests()
        let early = try #require(try await cloud.stack(reference))
        #expect(early.status == .createInProgress)
        #expect(early.outputs.isEmpty)
        #expect(harness.sim.requests.map(\.status) == [200])
    }

    @Test func tokenExpiringMidStackIsRenewed() async throws {
        let harness = SimHarness(timing: .realistic, tokenLifetime: 600)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        let session = try #require(cloud as? OpenStackCloud).session
        let before = await session.tokens.authenticationCount
        // Past the token's lifetime: the cache renews before use.
        harness.clock.advance(by: 700)
        #expect(try await cloud.stack(reference)?.status == .createComplete)
        #expect(await session.tokens.authenticationCount == before + 1)
        // Revoked under our feet: the 401 is answered by one re-authentication and a retry.
        harness.sim.expireAllTokens()
        harness.sim.clearRequests()
        #expect(try await cloud.stack(reference)?.status == .createComplete)
        #expect(await session.tokens.authenticationCount == before + 2)
        let statuses = harness.sim.requests.map(\.status)
        #expect(statuses == [401, 201, 200, 200]) // a settled stack: read without, then with its outputs
    }

    @Test func burstOf503IsRetriedAndSucceeds() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        _ = try await cloud.stack(reference)   // the credential's session authenticates (the create went with the owner's token)
        harness.sim.failNextRequests(to: .orchestration, count: 3)
        harness.sim.clearRequests()
        #expect(try await cloud.stack(reference)?.status == .createComplete)
        #expect(harness.sim.requests.map(\.status) == [503, 503, 503, 200, 200])
    }

    @Test func longerBurstEndsUnavailable() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        harness.sim.failNextRequests(to: .orchestration, count: 10)
        let error = await cloudError { _ = try await cloud.stacks(taggedWith: "disco") }
        #expect(error?.kind == .unavailable)
        #expect(error?.status == 503)
        #expect(error?.service == "orchestration")
        #expect(error?.message == "Simulated outage")
    }

    @Test func createRejectedForQuotaFailsFastWithTheReason() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        harness.sim.rejectNextCreate()
        harness.sim.clearRequests()
        let error = await cloudError { _ = try await cloud.createStack(harness.request()) }
        #expect(error?.kind == .quotaExceeded)
        #expect(error?.status == 413)
        #expect(error?.message.contains("Quota exceeded") == true)
        #expect(harness.sim.requests.filter { $0.method == "POST" && $0.service == .orchestration }.count == 1)
    }

    @Test func serversOverQuotaFailTheStackLikeHeat() async throws {
        let harness = SimHarness(quota: .init(instances: 20, cores: 12, ramMB: 102_400, floatingIPs: 10))
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request(workers: 3)) // 4 × m1.large = 16 cores > 12
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .createFailed)
        #expect(snapshot.statusReason.hasPrefix("Resource CREATE failed: Forbidden: resources."))
        #expect(snapshot.statusReason.contains("Quota exceeded for cores: Requested 4, but already used 12 of 12 cores"))
        #expect(OpenStackErrors.isQuota(reason: snapshot.statusReason))
        let inventory = try await cloud.inventory()
        #expect(inventory.quota.vcpus == 12 - 12 || inventory.quota.vcpus != nil)
    }

    @Test func injectedQuotaFaultFailsTheFirstServer() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        harness.sim.exceedQuotaOnNextCreate()
        let reference = try await cloud.createStack(harness.request())
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .createFailed)
        #expect(snapshot.statusReason.contains("Quota exceeded for instances"))
    }

    @Test func injectedResourceFailure() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        harness.sim.failResource(named: "master", reason: "ResourceInError: resources.master: Went to status ERROR due to \"Message: No valid host was found. , Code: 500\"")
        let reference = try await cloud.createStack(harness.request())
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .createFailed)
        #expect(snapshot.statusReason == "Resource CREATE failed: ResourceInError: resources.master: Went to status ERROR due to \"Message: No valid host was found. , Code: 500\"")
        let events = try await cloud.events(of: reference, after: nil)
        #expect(events.contains { $0.resourceName == "master" && $0.resourceStatus == "CREATE_FAILED" })
        #expect(!events.contains { $0.resourceStatus == "SIGNAL_COMPLETE" })
    }

    @Test func repeatedCreateDoesNotMakeASecondStack() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        let first = try await cloud.createStack(harness.request())
        let second = try await cloud.createStack(harness.request())
        #expect(first == second)
        #expect(harness.sim.stackNames == ["disco-c1"])
        #expect(harness.sim.requests.contains { $0.method == "POST" && $0.status == 409 })
        #expect(harness.sim.requests.contains { $0.method == "GET" && $0.status == 302 })
    }

    @Test func scalingThreeToFiveToTwo() async throws {
        let harness = SimHarness(timing: .realistic)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request(workers: 3))
        harness.clock.advance(by: 30)
        #expect(try await cloud.stack(reference)?.status == .createComplete)
        let marker = try await cloud.events(of: reference, after: nil).last?.id

        try await cloud.updateStack(reference, parameters: ["worker_count": "5"])
        #expect(try await cloud.stack(reference)?.status == .updateInProgress)
        harness.clock.advance(by: 10)
        var snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .updateComplete)
        #expect(try JSONValue.parse(snapshot.outputs["worker_addresses"] ?? "[]").arrayValue?.count == 5)
        let scaleUp = try await cloud.events(of: reference, after: marker)
        #expect(scaleUp.first?.resourceStatus == "UPDATE_IN_PROGRESS")
        #expect(scaleUp.filter { ["3", "4"].contains($0.resourceName) && $0.resourceStatus == "CREATE_COMPLETE" }.count == 2)
        #expect(scaleUp.contains { $0.resourceName == "workers" && $0.resourceStatus == "UPDATE_COMPLETE" })

        try await cloud.updateStack(reference, parameters: ["worker_count": "2"])
        harness.clock.advance(by: 10)
        snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .updateComplete)
        #expect(try JSONValue.parse(snapshot.outputs["worker_addresses"] ?? "[]").arrayValue?.count == 2)
        let all = try await cloud.events(of: reference, after: nil)
        #expect(all.filter { ["2", "3", "4"].contains($0.resourceName) && $0.resourceStatus == "DELETE_COMPLETE" }.count == 3)
        let inventory = try await cloud.inventory()
        #expect(inventory.quota.instances == 20 - 3) // master + 2 workers
    }

    @Test func updateDuringCreateConflicts() async throws {
        let harness = SimHarness(timing: .realistic)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        let error = await cloudError { try await cloud.updateStack(reference, parameters: ["worker_count": "4"]) }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "Stack disco-c1 already has an action (CREATE) in progress.")
    }

    @Test func suspendAndResume() async throws {
        let harness = SimHarness(timing: .realistic)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        harness.clock.advance(by: 30)
        try await cloud.perform(.suspend, on: reference)
        #expect(try await cloud.stack(reference)?.status == .suspendInProgress)
        harness.clock.advance(by: 5)
        #expect(try await cloud.stack(reference)?.status == .suspendComplete)
        try await cloud.perform(.resume, on: reference)
        harness.clock.advance(by: 5)
        #expect(try await cloud.stack(reference)?.status == .resumeComplete)
        try await cloud.perform(.check, on: reference)
        harness.clock.advance(by: 5)
        #expect(try await cloud.stack(reference)?.status == .checkComplete)
    }

    @Test func deleteMakesTheStackGone() async throws {
        let harness = SimHarness(timing: .realistic)
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        harness.clock.advance(by: 30)
        try await cloud.deleteStack(reference)
        #expect(try await cloud.stack(reference)?.status == .deleteInProgress)
        harness.clock.advance(by: 5)
        #expect(try await cloud.stack(reference) == nil)
        try await cloud.deleteStack(reference) // 404 is success
        #expect(try await cloud.stacks(taggedWith: "disco").isEmpty)
        // The name can be used again.
        _ = try await cloud.createStack(harness.request())
    }

    @Test func onlyTheNewestPurgedStacksAreKept() async throws {
        var configuration = SimulatedCloud.Configuration(timing: .instant)
        configuration.maxPurgedStacks = 2
        let clock = ManualClock()
        let sim = SimulatedCloud(configuration: configuration, clock: clock)
        let provider = OpenStackCloudProvider.simulated(sim, retry: RetryPolicy(maxAttempts: 4, baseDelay: 0))
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let cloud = provider.cloud(credential: try await provider.delegate(token: issued.token, principal: issued.principal, name: "purge"))
        let harness = SimHarness()
        for n in 0..<5 {
            let reference = try await cloud.createStack(harness.request(name: "s\(n)", workers: 0))
            try await cloud.deleteStack(reference)
            #expect(try await cloud.stack(reference) == nil)
        }
        #expect(sim.bookkeeping.stacks == 2)
        #expect(sim.stackNames.isEmpty)
    }

    @Test func expiredTokensAreForgottenAsTheyPileUp() async throws {
        var configuration = SimulatedCloud.Configuration(tokenLifetime: 60, timing: .instant)
        configuration.tokenSweepThreshold = 64
        let clock = ManualClock()
        let sim = SimulatedCloud(configuration: configuration, clock: clock)
        let provider = OpenStackCloudProvider.simulated(sim, retry: RetryPolicy(maxAttempts: 1, baseDelay: 0))
        func issue() async throws -> String {
            try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default")).token
        }
        let first = try await issue()
        for _ in 1..<60 { _ = try await issue() }
        #expect(sim.bookkeeping.tokens == 60)
        clock.advance(by: 120)
        var latest = ""
        for _ in 0..<10 { latest = try await issue() }
        #expect(sim.bookkeeping.tokens == 10)  // the sweep at 64 dropped the 60 expired ones
        #expect(try await provider.verify(token: latest).projectID.isEmpty == false)
        await #expect(throws: CloudError.self) { try await provider.verify(token: first) }
    }

    @Test func stuckDelete() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        let reference = try await cloud.createStack(harness.request())
        harness.sim.failDeletes(ofStack: "disco-c1", reason: "Conflict: resources.router_interface: Router still in use")
        try await cloud.deleteStack(reference)
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.status == .deleteFailed)
        #expect(snapshot.statusReason == "Resource DELETE failed: Conflict: resources.router_interface: Router still in use")
        harness.sim.clearDeleteFailures()
        try await cloud.deleteStack(reference)
        #expect(try await cloud.stack(reference) == nil)
    }

    @Test func tagFilter() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        _ = try await cloud.createStack(harness.request(name: "a1", tags: ["disco", "cluster-a"]))
        _ = try await cloud.createStack(harness.request(name: "b1", workers: 1, tags: ["disco", "cluster-b"]))
        #expect(try await cloud.stacks(taggedWith: "disco").map(\.reference.name).sorted() == ["a1", "b1"])
        #expect(try await cloud.stacks(taggedWith: "cluster-b").map(\.reference.name) == ["b1"])
        #expect(try await cloud.stacks(taggedWith: "nope").isEmpty)
    }

    @Test func unknownFlavorIsRejectedAtCreate() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        var request = harness.request()
        request.parameters["flavor"] = "m1.lage"
        let error = await cloudError { _ = try await cloud.createStack(request) }
        #expect(error?.kind == .badRequest)
        #expect(error?.message.hasPrefix("Property error: resources.") == true)
        #expect(error?.message.hasSuffix(".properties.flavor: Error validating value 'm1.lage': The Flavor ID (m1.lage) could not be found.") == true)
    }

    @Test func inventoryAndSuggestions() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        let inventory = try await cloud.inventory()
        #expect(inventory.images.map(\.name).sorted() == ["debian-12", "ubuntu-22.04", "ubuntu-24.04"])
        #expect(inventory.flavor("m1.medium") == Flavor(id: "2", name: "m1.medium", vcpus: 2, ramMB: 4096, diskGB: 40))
        #expect(inventory.network("public")?.isExternal == true)
        #expect(inventory.quota == QuotaHeadroom(instances: 20, vcpus: 40, ramMB: 102_400, floatingIPs: 10))
        let problems = OpenStackCloud.problems(image: "ubuntu-22.4", flavors: ["m1.lage"], externalNetwork: "publik", in: inventory)
        #expect(problems == ["unknown image 'ubuntu-22.4'; did you mean 'ubuntu-22.04' or 'ubuntu-24.04'?",
                             "unknown flavor 'm1.lage'; did you mean 'm1.large' or 'm1.xlarge'?",
                             "unknown external network 'publik'; did you mean 'public'?"])
    }

    @Test func providerVerifiesIssuesDelegatesAndRevokes() async throws {
        let harness = SimHarness()
        let provider = harness.provider
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        #expect(issued.token.hasPrefix("gAAAAAB"))
        #expect(issued.principal.userName == "demo" && issued.principal.projectName == "demo")
        #expect(issued.principal.roles.contains("member"))
        let verified = try await provider.verify(token: issued.token)
        #expect(verified.userID == issued.principal.userID)
        let bad = await cloudError { _ = try await provider.verify(token: "gAAAAABnope") }
        #expect(bad?.kind == .unauthorized)
        let wrong = await cloudError { _ = try await provider.issueToken(.password(user: "demo", password: "x", project: "demo", domain: "Default")) }
        #expect(wrong?.kind == .unauthorized && wrong?.status == 401)

        let first = try await provider.delegate(token: issued.token, principal: issued.principal, name: "disco-c1")
        #expect(first.projectID == issued.principal.projectID)
        // The name again: the first one's secret would be lost with a lost answer, so it is replaced.
        let credential = try await provider.delegate(token: issued.token, principal: issued.principal, name: "disco-c1")
        #expect(credential.id != first.id && harness.sim.applicationCredentialCount == 1)
        let replaced = await cloudError { _ = try await provider.issueToken(.applicationCredential(id: first.id, secret: first.secret)) }
        #expect(replaced?.kind == .unauthorized)
        let viaCredential = try await provider.issueToken(.applicationCredential(id: credential.id, secret: credential.secret))
        #expect(viaCredential.principal.projectID == issued.principal.projectID)
        try await provider.revoke(credential)
        try await provider.revoke(credential) // already gone
        let revoked = await cloudError { _ = try await provider.issueToken(.applicationCredential(id: credential.id, secret: credential.secret)) }
        #expect(revoked?.kind == .unauthorized)
        // A user-token session works too.
        let userCloud = provider.cloud(token: issued.token, principal: issued.principal)
        #expect(try await userCloud.inventory().flavors.count == 4)
    }

    /// Found by churn.sh: tokens revoked early (here: all expired at once) stayed accepted from the validation cache,
    /// were remembered as the owner's again, and a deleted cluster's restricted credential was then left behind.
    @Test func aTokenTheCloudRefusedIsNotAcceptedFromTheCacheNorKeptAsTheOwners() async throws {
        let harness = SimHarness()
        let provider = harness.provider
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        _ = try await provider.verify(token: issued.token)  // now in the validation cache
        let credential = try await provider.delegate(token: issued.token, principal: issued.principal, name: "disco-c1")
        harness.sim.expireAllTokens()
        // The cache still accepts the token (as keystonemiddleware's would, within its window)…
        #expect(try await provider.verify(token: issued.token).userID == issued.principal.userID)
        // …until the cloud refuses it: the owner's delete is refused, and a restricted credential may not delete itself.
        let refused = await cloudError { try await provider.revoke(credential) }
        #expect(refused?.kind == .forbidden)
        #expect(harness.sim.applicationCredentialCount == 1)
        let stale = await cloudError { _ = try await provider.verify(token: issued.token) }
        #expect(stale?.kind == .unauthorized, "a token the cloud refused must be checked again, not served from the cache")
        // The user signs in again: the new token is the owner's, and the revocation goes through.
        _ = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        try await provider.revoke(credential)
        #expect(harness.sim.applicationCredentialCount == 0)
    }

    @Test func delegationRidesOutKeystoneFaultsAndLeavesNoCredentialBehind() async throws {
        let clock = RecordingClock()
        let sim = SimulatedCloud(configuration: .init(timing: .instant), clock: clock)
        let configuration = OpenStackClientConfiguration(region: "RegionOne", retry: RetryPolicy(maxAttempts: 4, baseDelay: 0),
                                                         requestTimeout: 5, clock: clock)
        let provider = OpenStackCloudProvider(authURL: sim.authURL, transport: sim, configuration: configuration)
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        func delegate(_ name: String) async throws -> DelegatedCredential {
            try await provider.delegate(token: issued.token, principal: issued.principal, name: name)
        }
        // 503s: Keystone stored nothing, and the create is tried again.
        sim.failNextRequests(to: .identity, count: 2)
        sim.clearRequests()
        let credential = try await delegate("disco-a")
        #expect(sim.requests.map(\.status) == [503, 503, 201])
        #expect(sim.applicationCredentialCount == 1)
        _ = try await provider.issueToken(.applicationCredential(id: credential.id, secret: credential.secret))

        // Stored, but the answer was lost: the timeout is the error, and what Keystone stored is removed.
        sim.loseNextAnswers(of: .identity, count: 1)
        let lost = await cloudError { _ = try await delegate("disco-b") }
        #expect(lost?.kind == .unreachable)
        #expect(sim.applicationCredentialCount == 1)
    }

    @Test func verifyIsCachedBriefly() async throws {
        let harness = SimHarness()
        let issued = try await harness.provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        _ = try await harness.provider.verify(token: issued.token)
        harness.sim.clearRequests()
        _ = try await harness.provider.verify(token: issued.token)
        #expect(harness.sim.requests.isEmpty)
        harness.clock.advance(by: 31)
        _ = try await harness.provider.verify(token: issued.token)
        #expect(harness.sim.requests.count == 1)
    }

    @Test func slowResponsesTimeOutAndAreRetried() async throws {
        let clock = RecordingClock()
        let sim = SimulatedCloud(configuration: .init(timing: .instant), clock: clock)
        var configuration = OpenStackClientConfiguration(region: "RegionOne", retry: RetryPolicy(maxAttempts: 2, baseDelay: 0), requestTimeout: 5, clock: clock)
        configuration.tokenRefreshMargin = 0
        let provider = OpenStackCloudProvider(authURL: sim.authURL, transport: sim, configuration: configuration)
        let cloud = provider.cloud(auth: .password(user: .name("demo"), password: "demo", project: .name("demo")))
        sim.delayResponses(of: .compute, seconds: 2)
        _ = try await cloud.nova.flavors()
        #expect(clock.recorded.contains(2))
        sim.delayResponses(of: .compute, seconds: 10)
        let error = await cloudError { _ = try await cloud.nova.flavors() }
        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains("timed out") == true)
    }

    @Test func keypairKeepsTheGivenPublicKeyAndInventsNoPrivateKey() async throws {
        let harness = SimHarness()
        let (cloud, _) = try await harness.delegatedCloud()
        let template = #"{"heat_template_version":"2018-08-31","resources":{"kp":{"type":"OS::Nova::KeyPair","properties":{"name":"k","public_key":"ssh-ed25519 AAAA x"}}},"outputs":{"pub":{"value":{"get_attr":["kp","public_key"]}},"priv":{"value":{"get_attr":["kp","private_key"]}}}}"#
        let reference = try await cloud.createStack(StackRequest(name: "kp1", templateJSON: template))
        let snapshot = try #require(try await cloud.stack(reference))
        #expect(snapshot.outputs["pub"] == "ssh-ed25519 AAAA x")
        #expect(snapshot.outputs["priv"] == "")
        let missing = #"{"heat_template_version":"2018-08-31","resources":{"kp":{"type":"OS::Nova::KeyPair","properties":{"name":"k"}}}}"#
        let error = await cloudError { _ = try await cloud.createStack(StackRequest(name: "kp2", templateJSON: missing)) }
        #expect(error?.kind == .badRequest)
        #expect(error?.message.contains("public_key property is required") == true)
    }
}
