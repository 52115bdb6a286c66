import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// Keystone refuses delegated tokens the management of trusts, and Heat makes a trust on every stack create and
/// removes it on delete. What DISCO does when no user token is at hand, with restricted credentials (the default)
/// and with the operator's `unrestricted_credentials`.
@Suite struct DelegatedTrustTests {
    static let spec = #"{"name":"trust","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"workers":1,"externalNetwork":"public","ttlSeconds":600}"#

    func create(_ t: TestApp, token: String) async throws -> String {
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: Self.spec)
        guard response.status == 201, let id = try response.json()["id"] as? String else {
            throw TestFailure("create failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// Creates a ready cluster, restarts (no user token known), lets its TTL expire and waits until it is gone.
    func expireAfterRestart(_ first: TestApp, unrestricted: Bool) async throws -> TestApp {
        let (token, project) = try await first.login()
        let id = try await create(first, token: token)
        try await first.settle { await first.state(of: id, project: project) == .ready }
        #expect(first.simulator.trustCount == 1)
        let t = try await first.restarted(unrestrictedCredentials: unrestricted)
        let expiry = try #require(try await t.service.get(id, projectID: project).expiresAt)
        t.clock.advance(by: expiry.timeIntervalSince(t.clock.now()) + 1)
        // Gone from the API first, then the credential is revoked (or not) and the record removed.
        try await t.settle(upTo: 100, step: 5) { await t.service.countsByState().isEmpty }
        #expect(t.simulator.stackNames.isEmpty)
        return t
    }

    @Test func restrictedCredentialsLeaveHeatsTrustWhenNoUserTokenIsAtHand() async throws {
        let first = try await TestApp.make(delegatedTrusts: .refused)
        let t = try await expireAfterRestart(first, unrestricted: false)
        defer { Task { await t.stop() } }
        // The stack is gone, but Keystone refused the credential the trust's removal, and the restricted
        // credential cannot delete itself: the limitation `unrestricted_credentials` lifts.
        #expect(t.simulator.trustCount == 1)
        #expect(t.simulator.applicationCredentialCount == 1)
    }

    @Test func unrestrictedCredentialsLeaveNothingBehind() async throws {
        let first = try await TestApp.make(delegatedTrusts: .unrestrictedOnly, unrestrictedCredentials: true)
        let t = try await expireAfterRestart(first, unrestricted: true)
        defer { Task { await t.stop() } }
        #expect(t.simulator.trustCount == 0)
        #expect(t.simulator.applicationCredentialCount == 0)
    }

    @Test func aCreatePendingAcrossARestartWaitsForTheUsersTokenWithARestrictedCredential() async throws {
        let first = try await TestApp.make(delegatedTrusts: .refused)
        let (token, project) = try await first.login()
        // Heat does not answer the stack create the request sent with the user's token before the stop.
        first.simulator.delayResponses(of: .orchestration, seconds: 100_000)
        let id = try await create(first, token: token)
        // The create's stack request has reached Heat and is held (the reconciler sends it after the answer).
        try await first.settle(upTo: 0) { first.simulator.requestsHeld > 0 }
        // Heat answers again before the restart: the restarted service's first call must not be held (the request
        // sent before the stop stays held; the delay is taken when a request arrives).
        first.simulator.delayResponses(of: .orchestration, seconds: 0)
        let t = try await first.restarted()
        defer { Task { await t.stop() } }
        // Stopped before its stack was made; after the restart Keystone refuses the credential the trust.
        do {
            try await t.settle(upTo: 100, step: 1) {
                (try? await t.service.get(id, projectID: project).stateReason) == ClusterService.waitingForUserToken
            }
        } catch {
            let events = (try? await t.service.get(id, projectID: project).events.map(\.message)) ?? []
            Issue.record("\(error); events: \(events)")
            return
        }
        #expect(await t.state(of: id, project: project) == .accepted)
        #expect(t.simulator.stackNames.isEmpty)
        // Any request with the user's token lets the create go on.
        #expect(await t.request("GET", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", token)]).status == 200)
        try await t.settle(upTo: 200, step: 5) { await t.state(of: id, project: project) == .ready }
        #expect(t.simulator.trustCount == 1)
    }

    @Test func aCreatePendingAcrossARestartGoesOnWithAnUnrestrictedCredential() async throws {
        let first = try await TestApp.make(delegatedTrusts: .unrestrictedOnly, unrestrictedCredentials: true)
        let (token, project) = try await first.login()
        let id = try await create(first, token: token)
        let t = try await first.restarted(unrestrictedCredentials: true)
        defer { Task { await t.stop() } }
        try await t.settle { await t.state(of: id, project: project) == .ready }
        #expect(t.simulator.trustCount == 1)
    }
}
