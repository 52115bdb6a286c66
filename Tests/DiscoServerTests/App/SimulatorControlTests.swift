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
                                   "requestsAnswered"])
        // The log keeps what came after the clearing; the count goes on from the start.
        #expect(state["requests"] as? Int == 1)
        #expect(state["requestsAnswered"] as? Int == 3)
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
    ])
    func badFaultsAreRefusedByName(body: String, message: String) throws {
        let response = post(body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains(message), "\(String(decoding: response.body, as: UTF8.self))")
    }

    @Test func otherRoutesAndMethodsSayWhatExists() {
        let wrongMethod = SimulatorControl.handle(HTTPServerRequest(method: "DELETE", target: "/_simulator/faults"), simulator: simulator)
        #expect(wrongMethod.status == 405 && wrongMethod.headers["Allow"] == "POST")
        let unknown = SimulatorControl.handle(HTTPServerRequest(method: "GET", target: "/_simulator/nope"), simulator: simulator)
        #expect(unknown.status == 404)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("use GET /_simulator/state or POST /_simulator/faults"))
    }
}
