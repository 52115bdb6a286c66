import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// The lifecycle through the REST and OCCI APIs: scaling, suspend/resume, TTL, failures, restarts.
@Suite struct LifecycleTests {
    static let spec = #"{"name":"life","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":2,"externalNetwork":"public","components":{"spark":{}}}"#

    func create(_ t: TestApp, token: String, body: String = spec) async throws -> String {
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: body)
        guard response.status == 201, let id = try response.json()["id"] as? String else {
            throw TestFailure("create failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// Signs in, creates a cluster and follows it to `ready`.
    func readyCluster(_ t: TestApp) async throws -> (token: String, project: String, id: String) {
        let (token, project) = try await t.login()
        let id = try await create(t, token: token)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        return (token, project, id)
    }

    @Test func scalesTwoToFiveToThree() async throws {
        // A server takes a second of the test's clock: a scale that adds workers stays in progress until it moves
        // (each action request asks Keystone first, and an instant cloud would finish the scale meanwhile).
        let t = try await TestApp.make(timing: .init(resource: 0, server: 1, signal: 0, delete: 0, action: 0))
        defer { Task { await t.stop() } }
        let (token, project, id) = try await readyCluster(t)

        // OCCI partial update, as the original attribute.
        let up = await t.request("POST", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Content-Type", "text/occi"),
                                                                   ("X-OCCI-Attribute", #"icclab.disco.components.heat.slavecount="5""#)])
        #expect(up.status == 200, "\(up.text)")
        #expect(await t.state(of: id, project: project) == .scaling)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        #expect(try await t.service.get(id, projectID: project).spec.workers == 5)
        let addresses = try await t.service.get(id, projectID: project).outputs["worker_addresses"] ?? ""
        #expect(addresses.split(separator: ",").count == 5)

        // REST action.
        let down = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                   body: #"{"action":"scale","workers":3}"#)
        #expect(down.status == 202)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let record = try await t.service.get(id, projectID: project)
        #expect(record.spec.workers == 3)
        #expect(record.events.map(\.message).contains("scaled to 5 workers"))
        #expect(record.events.map(\.message).contains("scaled to 3 workers"))
        // Scaling a cluster that is not ready is a conflict.
        _ = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)], body: #"{"action":"scale","workers":4}"#)
        let busy = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)], body: #"{"action":"scale","workers":6}"#)
        #expect(busy.status == 409)
    }

    /// Found on real nodes: a scale was "done" when Heat had the new servers, while they were still booting and
    /// installing. Each worker now signals the install wait once it is installed, and a scale that adds workers raises
    /// the wait's count by their number, so Heat completes the update (and DISCO says "scaled") after their signals.
    @Test func aScaleUpIsDoneOnlyOnceTheNewWorkersAreInstalled() async throws {
        let t = try await TestApp.make(timing: .init(resource: 0, server: 1, signal: 1, delete: 0, action: 0))
        defer { Task { await t.stop() } }
        let (token, project, id) = try await readyCluster(t)
        let provider = OpenStackCloudProvider.simulated(t.simulator)
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let cloud = provider.cloud(token: issued.token, principal: issued.principal)
        let reference = try #require(try await t.service.get(id, projectID: project).stackReference)
        func installSignals() async throws -> String? { try await cloud.stack(reference)?.parameters["install_signals"] }
        func scale(to workers: Int) async throws -> [String] {
            let answer = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                         body: #"{"action":"scale","workers":\#(workers)}"#)
            #expect(answer.status == 202, "\(answer.text)")
            try await t.settle { await t.state(of: id, project: project) == .ready }
            return try await t.service.get(id, projectID: project).events.map(\.message)
        }
        // base, hadoop and spark from the master, one from each of the 2 workers.
        #expect(try await installSignals() == "5")
        let created = try await t.service.get(id, projectID: project).events.map(\.message)
        #expect(created.contains("worker 0 installed") && created.contains("worker 1 installed"))

        let up = try await scale(to: 3)
        #expect(try await installSignals() == "6")
        let installed = try #require(up.lastIndex(of: "worker 2 installed"))
        #expect(installed < (up.lastIndex(of: "scaled to 3 workers") ?? -1), "\(up)")

        // Down: nothing to wait for. Up again: the new server's signal is a new one (its id names the server).
        _ = try await scale(to: 1)
        #expect(try await installSignals() == "6")
        let again = try await scale(to: 2)
        #expect(try await installSignals() == "7")
        let scaled = try #require(again.lastIndex(of: "scaled to 2 workers"))
        #expect((again.lastIndex(of: "worker 1 installed") ?? .max) < scaled, "\(again)")
        #expect((again.lastIndex(of: "scaled to 1 worker") ?? .max) < (again.lastIndex(of: "worker 1 installed") ?? -1), "\(again)")
    }

    /// Found on real nodes: Heat took over 30 s to accept a scale under load, the request's deadline cancelled the
    /// call, Heat applied the update anyway, and DISCO kept the old worker count for a stack that had the new one.
    @Test func aScaleWhoseCallerGivesUpWhileHeatAnswersSlowlyIsStillRecorded() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (_, project, id) = try await readyCluster(t)
        t.simulator.delayAnswers(of: .orchestration, seconds: 45)
        let caller = Task { try await t.service.scale(id, projectID: project, workers: 3) }
        // The update reaches Heat; its answer is still on the way when the caller stops waiting.
        try await t.settle { t.simulator.requests.contains { $0.method == "PATCH" } }
        caller.cancel()
        t.simulator.delayAnswers(of: .orchestration, seconds: 0)
        try await t.settle {
            guard await t.state(of: id, project: project) == .ready else { return false }
            return (try? await t.service.get(id, projectID: project).spec.workers) == 3
        }
        #expect(try await t.service.get(id, projectID: project).spec.workers == 3)
    }

    @Test func suspendsAndResumes() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id) = try await readyCluster(t)
        let suspend = await t.request("POST", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Content-Type", "text/occi"),
                                                                        ("X-OCCI-Attribute", #"action="suspend""#)])
        #expect(suspend.status == 200)
        try await t.settle { await t.state(of: id, project: project) == .suspended }
        let shown = await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token)])
        #expect(shown.text.contains(#"runstate="suspended""#))
        #expect(shown.text.contains(#"stack_status="SUSPEND_COMPLETE""#))
        // Resume through the OCCI action.
        let resume = await t.request("POST", "/disco/\(id)?action=resume", headers: [
            ("X-Auth-Token", token), ("Content-Type", "text/occi"),
            ("Category", #"resume; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action""#)])
        #expect(resume.status == 200, "\(resume.text)")
        try await t.settle { await t.state(of: id, project: project) == .ready }
        #expect(try await t.service.get(id, projectID: project).stackStatus == "RESUME_COMPLETE")
    }

    @Test func expiredTimeToLiveDeletesTheCluster() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let body = Self.spec.replacingOccurrences(of: #""workers":2"#, with: #""workers":1,"ttlSeconds":600"#)
        let id = try await create(t, token: token, body: body)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let expiry = try #require(try await t.service.get(id, projectID: project).expiresAt)
        t.clock.advance(by: expiry.timeIntervalSince(t.clock.now()) - 5)
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(await t.state(of: id, project: project) == .ready)
        try await t.settle(upTo: 100, step: 5) { await t.state(of: id, project: project) == nil }
        #expect(t.simulator.stackNames.isEmpty)
    }

    @Test func failedCreateCarriesTheCloudsReason() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        t.simulator.failResource(named: "router", reason: "Quota exceeded for resources: ['router']")
        let id = try await create(t, token: token)
        try await t.settle { await t.state(of: id, project: project) == .failed }
        let record = try await t.service.get(id, projectID: project)
        #expect(record.stateReason.contains("Quota exceeded for resources"))
        // A failed cluster can still be deleted.
        #expect(await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).status == 202)
        try await t.settle { await t.state(of: id, project: project) == nil }
    }

    @Test func stuckDeleteIsRetriedUntilTheStackIsGone() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id) = try await readyCluster(t)
        let stack = try await t.service.get(id, projectID: project).stackName
        t.simulator.failDeletes(ofStack: stack)
        #expect(await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).status == 202)
        try await t.settle { ((try? await t.service.get(id, projectID: project, includeDeleting: true).deleteAttempts) ?? 0) >= 2 }
        #expect(await t.state(of: id, project: project) == .deleting)
        #expect(t.simulator.stackNames == [stack])
        t.simulator.clearDeleteFailures()
        try await t.settle(upTo: 300) { await t.state(of: id, project: project) == nil }
        #expect(t.simulator.stackNames.isEmpty)
    }

    @Test func cloudOutagesAreSurvived() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let id = try await create(t, token: token)
        t.simulator.failNextRequests(to: .orchestration, count: 12)
        t.simulator.expireAllTokens()
        try await t.settle(upTo: 400) { await t.state(of: id, project: project) == .ready }
        #expect(t.simulator.stackNames.count == 1)
    }

    @Test func aStackCreatedWhileItsAnswerWasLostIsAdoptedNotDuplicated() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        // POST /stacks takes effect in Heat; DISCO sees a timeout (and then, looking the stack up, a second one).
        t.simulator.loseNextAnswers(of: .orchestration, count: 2)
        let id = try await create(t, token: token)
        try await t.settle(upTo: 400) { await t.state(of: id, project: project) == .ready }
        let record = try await t.service.get(id, projectID: project)
        #expect(t.simulator.stackNames == [record.stackName])
        let creates = t.simulator.requests.filter { $0.service == .orchestration && $0.method == "POST" && $0.path.hasSuffix("/stacks") }
        #expect(creates.count == 1, "POST /stacks sent \(creates.count) times")

        // A delete whose answer is lost still ends with the stack and the record gone.
        t.simulator.loseNextAnswers(of: .orchestration, count: 1)
        #expect(await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).status == 202)
        try await t.settle(upTo: 400) { await t.state(of: id, project: project) == nil }
        #expect(t.simulator.stackNames.isEmpty)
    }

    @Test func aDeletedClustersCredentialIsRevokedThroughAnIdentityOutage() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id) = try await readyCluster(t)
        #expect(t.simulator.bookkeeping.credentials == 1)
        let deleted = await t.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)])
        #expect(deleted.status == 202)
        // Keystone answers 503 long enough to use up the client's own retries of the revocation, several times over.
        t.simulator.failNextRequests(to: .identity, count: 20)
        try await t.settle(upTo: 400) { t.simulator.bookkeeping.credentials == 0 }
        try await t.settle { await t.service.list(projectID: project, includeDeleting: true).isEmpty }
        #expect(await t.state(of: id, project: project) == nil)
        #expect(t.simulator.stackNames.isEmpty)
    }

    /// Found by churn.sh: after the user's tokens were revoked early, a delete left the restricted credential behind.
    /// (A request with a revoked token is refused: the delete here is the TTL's.)
    @Test func aDeleteAfterTheUsersTokensWereRevokedRevokesTheCredentialOnceTheUserIsBack() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let id = try await create(t, token: token, body: Self.spec.replacingOccurrences(of: #""workers":2"#, with: #""workers":1,"ttlSeconds":600"#))
        try await t.settle { await t.state(of: id, project: project) == .ready }
        t.simulator.expireAllTokens()
        // The stack goes; the credential cannot go without the owner.
        try await t.settle(upTo: 400, step: 5) {
            t.simulator.requests.contains { $0.method == "DELETE" && $0.path.contains("/application_credentials/") && $0.status == 403 }
        }
        #expect(t.simulator.stackNames.isEmpty)
        #expect(t.simulator.bookkeeping.credentials == 1)
        // The stale token is now checked again and refused; the user signs in and makes any request.
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", token)]).status == 401)
        let (fresh, _) = try await t.login()
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", fresh)]).status == 200)
        try await t.settle(upTo: 400) { t.simulator.bookkeeping.credentials == 0 }
        try await t.settle { await t.service.list(projectID: project, includeDeleting: true).isEmpty }
    }

    @Test func aDeleteStoppedBeforeItsCredentialWasRevokedIsFinishedAfterARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-revoke-\(UUID().uuidString)")
        // Unrestricted credentials, so that after the restart the credential can revoke itself (no user token is known).
        let first = try await TestApp.make(stateDirectory: directory, unrestrictedCredentials: true)
        let (token, project) = try await first.login()
        let id = try await create(first, token: token)
        try await first.settle { await first.state(of: id, project: project) == .ready }
        #expect(await first.request("DELETE", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).status == 202)
        first.simulator.failNextRequests(to: .identity, count: 1_000)
        try await first.settle { await first.state(of: id, project: project) == nil }  // stack gone, revocation retrying
        await first.service.stop()
        #expect(first.simulator.bookkeeping.credentials == 1)

        let t = try await first.restarted(unrestrictedCredentials: true)
        defer { Task { await t.stop() } }
        first.simulator.failNextRequests(to: .identity, count: 0)
        try await t.settle(upTo: 400) { t.simulator.bookkeeping.credentials == 0 }
        try await t.settle { await t.service.list(projectID: project, includeDeleting: true).isEmpty }
    }

    @Test func recordsSurviveARestartAndCreatesResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-restart-\(UUID().uuidString)")
        let first = try await TestApp.make(stateDirectory: directory)
        let (token, project) = try await first.login()
        let ready = try await create(first, token: token)
        try await first.settle { await first.state(of: ready, project: project) == .ready }
        // Stop before Heat made the second's stack: it stays "accepted" with its stack request on disk. (Heat holds
        // the create's stack request: the reconciler sends it after the answer, and an instant Heat would otherwise
        // race the stop.)
        first.simulator.delayResponses(of: .orchestration, seconds: 100_000)
        let pending = try await create(first, token: token)
        try await first.settle(upTo: 0) { first.simulator.requestsHeld > 0 }
        await first.service.stop()
        #expect(await first.state(of: pending, project: project) == .accepted)
        // Heat answers again before the restart (the request held before the stop stays held).
        first.simulator.delayResponses(of: .orchestration, seconds: 0)

        // A new service over the same directory and cloud.
        let t = try await first.restarted()
        defer { Task { await t.stop() } }
        #expect(await t.state(of: ready, project: project) == .ready)
        try await t.settle { await t.state(of: pending, project: project) == .ready }
        #expect(t.simulator.stackNames.count == 2)
        let key = await t.request("GET", "/api/v1/clusters/\(ready)/ssh-key", headers: [("X-Auth-Token", token)])
        #expect(key.text.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
        let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("secrets/\(ready)/ssh_private_key").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aVanishedStackIsMarkedAndAnOrphanReportedAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disco-vanish-\(UUID().uuidString)")
        let first = try await TestApp.make(stateDirectory: directory)
        let (token, project) = try await first.login()
        let id = try await create(first, token: token)
        try await first.settle { await first.state(of: id, project: project) == .ready }
        await first.service.stop()
        // Behind DISCO's back: the cluster's stack is deleted, and a DISCO-tagged stack appears with no record.
        let provider = OpenStackCloudProvider.simulated(first.simulator)
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let cloud = provider.cloud(token: issued.token, principal: issued.principal)
        let record = try await first.service.get(id, projectID: project)
        try await cloud.deleteStack(try #require(record.stackReference))
        _ = try await cloud.createStack(StackRequest(name: "disco-stray", templateJSON: #"{"heat_template_version":"2018-08-31","resources":{}}"#,
                                                     tags: ["disco"]))
        first.clock.advance(by: 30)

        let t = try await first.restarted()
        defer { Task { await t.stop() } }
        await t.service.waitForCloudReconciliation()
        #expect(await t.service.isReconciledWithCloud)
        let after = try await t.service.get(id, projectID: project)
        #expect(after.state == .failed)
        #expect(after.stateReason == "the stack no longer exists in the cloud")
        let health = try await t.request("GET", "/healthz", headers: [("X-Auth-Token", try await t.token())]).json()
        #expect(health["orphanStacks"] as? [String] == ["disco-stray"])
    }

    /// A credential named as a cluster's with no cluster behind it, made behind DISCO's back (as a crash between
    /// Keystone's answer and the record would leave one), and credentials of other names beside it.
    private func strayCredential(in t: TestApp) async throws -> (stray: ListedCredential, provider: OpenStackCloudProvider,
                                                                  token: String, principal: Principal) {
        let provider = OpenStackCloudProvider.simulated(t.simulator)
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let stray = try await provider.delegate(token: issued.token, principal: issued.principal,
                                                name: "disco-\(UUID().uuidString.lowercased())")
        for name in ["disco-not-a-cluster", "my-own"] {
            _ = try await provider.delegate(token: issued.token, principal: issued.principal, name: name)
        }
        let listed = try await provider.delegatedCredentials(token: issued.token, principal: issued.principal)
        return (try #require(listed.first { $0.id == stray.id }), provider, issued.token, issued.principal)
    }

    @Test func aCredentialLeftWithoutAClusterIsReportedAfterTheUsersFirstRequest() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (stray, provider, userToken, principal) = try await strayCredential(in: t)
        #expect(await t.service.orphanCredentials.isEmpty) // nobody has signed in yet
        let (token, project) = try await t.login()
        let id = try await create(t, token: token) // the first request: its credential is made while the check runs
        try await t.settle {
            let found = await t.service.orphanCredentials
            return await t.state(of: id, project: project) == .ready && !found.isEmpty
        }
        #expect(await t.service.orphanCredentials == [stray])
        let health = try await t.request("GET", "/healthz", headers: [("X-Auth-Token", token)]).json()
        #expect(health["orphanCredentials"] as? Int == 1)
        // Reported, not revoked (the default policy).
        #expect(try await provider.delegatedCredentials(token: userToken, principal: principal).contains(stray))
    }

    /// A listing Keystone refuses is tried again after a while, not on each of the user's requests.
    @Test func aFailedListingOfTheUsersCredentialsWaitsBeforeTheNextTry() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let issued = try await OpenStackCloudProvider.simulated(t.simulator)
            .issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        func listings() -> [Int] {
            t.simulator.requests.filter { $0.service == .identity && $0.method == "GET" && $0.path.hasSuffix("/application_credentials") }
                .map(\.status)
        }
        t.simulator.failNextRequests(to: .identity, count: 1, status: 403)
        let started = (0..<3).map { _ in t.service.checkCredentials(token: issued.token, principal: issued.principal) }
        #expect(started == [true, false, false], "one check at a time per user")
        try await t.settle { listings() == [403] }
        for _ in 0..<3 {
            #expect(!t.service.checkCredentials(token: issued.token, principal: issued.principal),
                    "not tried again on the next requests")
        }
        t.clock.advance(by: ClusterService.credentialCheckRetryDelay + 1)
        try await t.settle { t.service.checkCredentials(token: issued.token, principal: issued.principal) }
        try await t.settle { listings() == [403, 200] }
    }

    @Test func withTheDeletePolicyACredentialLeftWithoutAClusterIsRevoked() async throws {
        let t = try await TestApp.make(configure: { $0.orphanPolicy = .delete })
        defer { Task { await t.stop() } }
        let (stray, provider, userToken, principal) = try await strayCredential(in: t)
        let (token, project) = try await t.login()
        let id = try await create(t, token: token)
        try await t.settle {
            let left = try? await provider.delegatedCredentials(token: userToken, principal: principal)
            return await t.state(of: id, project: project) == .ready && left?.contains(stray) == false
        }
        let names = Set(try await provider.delegatedCredentials(token: userToken, principal: principal).map(\.name))
        #expect(names == ["disco-\(id)", "disco-not-a-cluster", "my-own"])
        #expect(await t.service.orphanCredentials.isEmpty)
    }
}
