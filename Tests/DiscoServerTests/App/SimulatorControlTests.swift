import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// `simulate-cloud --control`'s routes: faults reach the simulator, bad bodies are refused by name.
@Suite struct SimulatorControlTests {
    let simulator = SimulatedCloud(configuration: .init(timing: .instant), clock: ManualClock())

    func post(_ body: String) -> HTTPServerResponse {
        SimulatorControl.handle(HTTPServerRequest(method: "POST", target: "/_simulator/faults", body: Data(body.utf8)), simulator: simulator)
    }

    func identity(_ method: String = "GET", _ path: String = "/identity/v3") async throws -> Int {
        try await simulator.send(HTTPRequest(method: method, url: URL(string: simulator.host + path)!)).status
    }

    @Test func anUnavailableBurstAnswersItsStatusThatManyTimes() async throws {
        #expect(post(#"{"fault": "unavailable", "service": "identity", "count": 2, "status": 502}"#).status == 204)
        #expect(try await identity() == 502)
        #expect(try await identity() == 502)
        #expect(try await identity() != 502)
    }

    @Test func expiredTokensAreRefused() async throws {
        let tokens = URL(string: simulator.authURL.absoluteString + "/auth/tokens")!
        let login = try await simulator.send(HTTPRequest(method: "POST", url: tokens, headers: [("Content-Type", "application/json")], body: Data("""
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Default"}, "password": "demo"}}},
                      "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}}
            """.utf8)))
        let token = try #require(login.header("X-Subject-Token"))
        let check = HTTPRequest(method: "GET", url: tokens, headers: [("X-Auth-Token", token), ("X-Subject-Token", token)])
        #expect(try await simulator.send(check).status == 200)
        #expect(post(#"{"fault": "expire-tokens"}"#).status == 204)
        #expect(try await simulator.send(check).status == 401)
    }

    @Test func stateListsStacksAndWhatTheSimulatorKeeps() async throws {
        _ = try await identity()
        _ = try await identity()
        simulator.clearRequests()
        _ = try await identity()
        let response = SimulatorControl.handle(HTTPServerRequest(method: "GET", target: "/_simulator/state"), simulator: simulator)
        #expect(response.status == 200)
        let state = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        #expect((state["stacks"] as? [String]) == [])
        #expect(Set(state.keys) == ["stacks", "tokens", "credentials", "credentialNames", "keptStacks", "requests",
                                   "requestsAnswered", "requestsAnsweredByService"])
        // The log keeps what came after the clearing; the count goes on from the start.
        #expect(state["requests"] as? Int == 1)
        #expect(state["requestsAnswered"] as? Int == 3)
        #expect((state["requestsAnsweredByService"] as? [String: Int]) == ["identity": 3])
        #expect((state["credentialNames"] as? [String]) == [])
    }

    @Test(arguments: [
        ("", "must be a JSON object"),
        (#"{"fault": 3}"#, "fault: missing or not a string; use one of unavailable, resource-failure"),
        (#"{"fault": "meteor"}"#, "fault: 'meteor' is not a fault; use one of"),
        (#"{"fault": "unavailable", "service": "dns"}"#, #"service: "dns" is not a service; use one of identity, orchestration"#),
        (#"{"fault": "unavailable", "count": 0}"#, "count: 0 is not in 1…1000"),
        (#"{"fault": "unavailable", "count": 1.5}"#, "count: 1.5 is not a whole number in 1…1000"),
        (#"{"fault": "unavailable", "status": 404}"#, "status: 404 is not in 500…599"),
        (#"{"fault": "delete-failure"}"#, "stack: missing for fault 'delete-failure'"),
        (#"{"fault": "resource-failure", "reason": ""}"#, #"reason: "" is not a non-empty string"#),
        (#"{"fault": "slow", "seconds": 61}"#, "seconds: 61 is not in 0…60"),
        (#"{"fault": "daemon-stopped", "node": "master", "unit": "x"}"#, "stack: missing for fault 'daemon-stopped'"),
        (#"{"fault": "daemon-stopped", "stack": "disco-nope", "node": "master", "unit": "x"}"#,
         "stack: 'disco-nope' is not a stack of the simulated cloud; see GET /_simulator/state"),
    ])
    func badFaultsAreRefusedByName(body: String, message: String) throws {
        let response = post(body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains(message), "\(String(decoding: response.body, as: UTF8.self))")
    }

    /// The faults a harness in another process (the dashboard's browser test) uses to change a cluster's health.
    @Test func healthFaultsStopAndStartDaemonsAndCutNodesOff() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project, id, stack) = try await t.readyCluster(spec: ClusterHealthTests.spec)
        func fault(_ body: String) -> HTTPServerResponse {
            SimulatorControl.handle(HTTPServerRequest(method: "POST", target: "/_simulator/faults", body: Data(body.utf8)),
                                    simulator: t.simulator)
        }
        func check() async throws -> ClusterHealth {
            let response = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                           body: #"{"action":"check"}"#)
            #expect(response.status == 202, "\(response.text)")
            return try #require(try await t.service.get(id, projectID: project).health)
        }

        #expect(fault(#"{"fault": "daemon-stopped", "stack": "\#(stack)", "node": "worker1", "unit": "hadoop-datanode"}"#).status == 204)
        let stopped = try await check()
        #expect(stopped.status == .yellow)
        #expect(stopped.nodes.first { $0.name == "worker1" }?.daemons.first { $0.unit == "hadoop-datanode" }?.state == "failed")
        #expect(fault(#"{"fault": "daemon-started", "stack": "\#(stack)", "node": "worker1", "unit": "hadoop-datanode"}"#).status == 204)
        #expect(try await check().status == .green)

        #expect(fault(#"{"fault": "node-unreachable", "stack": "\#(stack)", "node": "worker0"}"#).status == 204)
        let cutOff = try await check()
        #expect(cutOff.status == .yellow)
        #expect(cutOff.nodes.first { $0.name == "worker0" }?.reachable == false)
        #expect(fault(#"{"fault": "node-unreachable", "stack": "\#(stack)", "node": "worker0", "unreachable": false}"#).status == 204)
        #expect(try await check().status == .green)

        let badNode = fault(#"{"fault": "daemon-stopped", "stack": "\#(stack)", "node": "worker-1", "unit": "hadoop-datanode"}"#)
        #expect(badNode.status == 400)
        #expect(String(decoding: badNode.body, as: UTF8.self)
            == "node: 'worker-1' is not a node; use master or worker<index> (worker0, worker1, …)\n")
        let noUnit = fault(#"{"fault": "daemon-started", "stack": "\#(stack)", "node": "master"}"#)
        #expect(String(decoding: noUnit.body, as: UTF8.self) == "unit: missing for fault 'daemon-started'\n")
        let badFlag = fault(#"{"fault": "node-unreachable", "stack": "\#(stack)", "node": "master", "unreachable": "yes"}"#)
        #expect(String(decoding: badFlag.body, as: UTF8.self) == "unreachable: \"yes\" is not true or false\n")
    }

    @Test func otherRoutesAndMethodsSayWhatExists() {
        let wrongMethod = SimulatorControl.handle(HTTPServerRequest(method: "DELETE", target: "/_simulator/faults"), simulator: simulator)
        #expect(wrongMethod.status == 405 && wrongMethod.headers["Allow"] == "POST")
        let unknown = SimulatorControl.handle(HTTPServerRequest(method: "GET", target: "/_simulator/nope"), simulator: simulator)
        #expect(unknown.status == 404)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("use GET /_simulator/state or POST /_simulator/faults"))
    }
}
