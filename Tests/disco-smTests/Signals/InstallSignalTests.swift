import DiscoCore
import DiscoRuntime
import DiscoOpenStack
import DiscoServer
import Foundation
import Testing

/// A node's install script signals the wait condition with tokens it mints from the handle's `HEAT_SIGNAL`
/// credentials, so signals sent hours after the stack was made are accepted (a token Heat mints once, with
/// `TOKEN_SIGNAL`, expires after Keystone's token lifetime). The simulated cloud is served on loopback HTTP, the
/// stack is a composed cluster template, and the signals come from the prelude's own `disco_signal`.
@Suite struct InstallSignalTests {
    struct Cluster {
        var sim: SimulatedCloud
        var clock: ManualClock
        var server: SimulatedCloudServer
        /// The install handle's `signal` attribute: what Heat puts in the scripts.
        var signal: String
        var credentials: JSONValue
    }

    /// A bare cluster made from the composed template on a simulated cloud served at 127.0.0.1.
    static func cluster() async throws -> Cluster {
        let clock = ManualClock(start: Date())
        let server = try await SimulatedCloudServer.start(host: "127.0.0.1", port: 0, configuration: .init(timing: .instant),
                                                          clock: clock, control: false)
        let sim = server.simulator

        let provider = OpenStackCloudProvider.simulated(sim)
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let cloud = provider.cloud(token: issued.token, principal: issued.principal)
        let spec = ClusterSpec(name: "signals", master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
                               worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"), workers: 1,
                               externalNetwork: "public", components: [:])
        let key = SSHKeyPair(publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISignalTestKey disco", privateKey: "")
        let plan = try Planner(catalog: .builtIn()).plan(spec, inventory: try await cloud.inventory(), context: PlanContext(
            clusterID: UUID().uuidString.lowercased(), keys: ClusterKeys(user: key), secretSalt: "s"))
        let stack = try await cloud.createStack(StackRequest(name: plan.stackName, templateJSON: plan.template.json(pretty: false)))
        let url = try #require(URL(string: "\(sim.host)/heat/v1/\(issued.principal.projectID)/stacks/\(stack.name)/\(stack.id)/resources/install_handle"))
        let response = try await sim.send(HTTPRequest(method: "GET", url: url, headers: [("X-Auth-Token", issued.token)]))
        let signal = try JSONValue.parse(response.body)["resource"]?["attributes"]?["signal"]?.stringValue ?? ""
        return Cluster(sim: sim, clock: clock, server: server, signal: signal,
                       credentials: (try? JSONValue.parse(Data(signal.utf8))) ?? .null)
    }

    static func requests(_ sim: SimulatedCloud) -> [String] {
        sim.requests.map { "\($0.method) \($0.path.hasSuffix("/signal") ? "signal" : $0.path) \($0.status)" }
    }

    @Test func aSignalTwoHoursAfterTheHandleWasMadeIsAccepted() async throws {
        let c = try await Self.cluster()
        defer { Task { await c.server.stop() } }
        let password = try #require(c.credentials["password"]?.stringValue, "no HEAT_SIGNAL credentials: \(c.signal)")
        // Past Keystone's token lifetime: a token made with the handle would be refused now.
        c.clock.advance(by: 7200)
        c.sim.clearRequests()
        let run = try await InstallScript.run(signal: c.signal, #"disco_signal SUCCESS proof "proof ready" "sent two hours on""#)
        #expect(run.termination == .exited(0), "\(run.output)")
        #expect(Self.requests(c.sim) == ["POST /identity/v3/auth/tokens 201", "POST signal 200"], "\(run.output)")
        #expect(!run.output.contains(password))
    }

    /// A cached token Heat refuses is replaced at once; one ten minutes old is replaced before it is used.
    @Test func aRefusedOrOldTokenIsReplaced() async throws {
        let c = try await Self.cluster()
        defer { Task { await c.server.stop() } }
        c.sim.clearRequests()
        let run = try await InstallScript.run(signal: c.signal, """
            disco_signal SUCCESS one "one ready" "first"
            DISCO_WC_TOKEN=gAAAAABnot-a-token-keystone-knows
            disco_signal SUCCESS two "two ready" "second"
            DISCO_WC_TOKEN_AT=$((SECONDS - 600))
            disco_signal SUCCESS three "three ready" "third"
            """)
        #expect(run.termination == .exited(0), "\(run.output)")
        #expect(Self.requests(c.sim) == [
            "POST /identity/v3/auth/tokens 201", "POST signal 200",
            "POST signal 401", "POST /identity/v3/auth/tokens 201", "POST signal 200",
            "POST /identity/v3/auth/tokens 201", "POST signal 200",
        ], "\(run.output)")
        #expect(run.output.contains("the SUCCESS signal for two was not delivered (HTTP 401 from Heat); trying again in 5 s"), "\(run.output)")
    }

    /// Credentials Keystone refuses: the script keeps going, says why each try failed, and never shows the password.
    @Test func refusedCredentialsAreReportedNeverShown() async throws {
        let c = try await Self.cluster()
        defer { Task { await c.server.stop() } }
        let password = try #require(c.credentials["password"]?.stringValue)
        let wrong = c.signal.replacingOccurrences(of: password, with: "wrong-password-0123")
        c.sim.clearRequests()
        let run = try await InstallScript.run(signal: wrong, #"disco_signal FAILURE base "base failed" "x"; echo carried on"#)
        #expect(run.output.contains("the FAILURE signal for base was not delivered (no token from Keystone)"), "\(run.output)")
        #expect(run.output.contains("WARNING: could not deliver the FAILURE signal for base"))
        #expect(run.output.hasSuffix("carried on\n"))
        #expect(Self.requests(c.sim) == Array(repeating: "POST /identity/v3/auth/tokens 401", count: 6))
        #expect(!run.output.contains("wrong-password-0123") && !run.output.contains(password))
    }
}
