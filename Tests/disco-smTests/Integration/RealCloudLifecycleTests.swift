import DiscoCore
import DiscoOpenStack
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `disco-sm` binary against real Keystone, Heat, Nova (fake driver), Neutron and Glance: a whole
/// cluster lifecycle, and the seed README's curl sequence. A ``HeatSignaller`` plays the install scripts.
@Suite(.serialized, .enabled(if: RealOpenStack.isUp, RealOpenStack.skipReason))
struct RealCloudLifecycleTests {
    struct Cluster: Decodable {
        var id: String
        var state: String
        var stateReason: String
        var workers: Int
        var externalIP: String?
        var masterAddress: String?
        var sshKeyName: String?
        var stackName: String
        var stackID: String?
        var stackStatus: String
        var components: [Component]
        struct Component: Decodable {
            var name: String
            var state: String
        }
    }

    func cluster(_ server: ServerProcess, _ token: String, _ id: String) async throws -> Cluster? {
        let (status, data) = try await server.call("GET", "/api/v1/clusters/\(id)", token: token)
        if status == 404 { return nil }
        guard status == 200 else { throw ProcessFailure("GET cluster: \(status) \(String(decoding: data, as: UTF8.self))") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Cluster.self, from: data)
    }

    /// Polls until `done` holds (or the cluster fails), for at most `seconds`.
    func wait(_ server: ServerProcess, _ token: String, _ id: String, seconds: Double, what: String,
              until done: (Cluster?) -> Bool) async throws -> Cluster? {
        let deadline = Date().addingTimeInterval(seconds)
        var last: Cluster?
        while Date() < deadline {
            last = try await cluster(server, token, id)
            if done(last) { return last }
            if last?.state == "failed" { break }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        throw ProcessFailure("\(what): not reached after \(Int(seconds)) s; last \(String(describing: last))\n--- server log ---\n\(server.log(tail: 4000))")
    }

    func action(_ server: ServerProcess, _ token: String, _ id: String, _ body: String) async throws {
        let (status, data) = try await server.call("POST", "/api/v1/clusters/\(id)/actions", token: token, body: body)
        #expect(status == 202, "\(body): \(status) \(String(decoding: data, as: UTF8.self))")
    }

    /// Waits until the real cloud holds no more than `baseline`.
    func expectNothingLeft(_ api: RealAPI, baseline: [String: Set<String>], seconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var extra: [String: Set<String>] = [:]
        repeat {
            let now = try await api.inventory()
            extra = now.compactMapValues { $0 }.reduce(into: [:]) { result, entry in
                let more = entry.value.subtracting(baseline[entry.key] ?? [])
                if !more.isEmpty { result[entry.key] = more }
            }
            if extra.isEmpty { return }
            try await Task.sleep(nanoseconds: 1_000_000_000)
        } while Date() < deadline
        Issue.record("left behind in the real cloud: \(extra)")
    }

    /// The openrc user's API and what the project holds now, a started ``HeatSignaller`` playing the install scripts,
    /// and a `disco-sm` on the real cloud with its state directory (the caller stops and removes them).
    func startAgainstTheRealCloud() async throws
        -> (api: RealAPI, baseline: [String: Set<String>], signaller: HeatSignaller, server: ServerProcess, state: URL) {
        let api = try await RealAPI.login()
        let baseline = try await api.inventory()
        let signaller = HeatSignaller(api: api)
        await signaller.start()
        do {
            let (server, state) = try await RealOpenStack.startServer()
            return (api, baseline, signaller, server, state)
        } catch {
            await signaller.stop()
            throw error
        }
    }

    @Test(.timeLimit(.minutes(10))) func fullLifecycleAgainstTheRealCloud() async throws {
        let started = Date()
        let (api, baseline, signaller, server, state) = try await startAgainstTheRealCloud()
        defer { Task { await signaller.stop() }; server.terminate(); try? FileManager.default.removeItem(at: state) }
        let v = try RealOpenStack.variables()

        // Sign in through disco-sm (a real Keystone token), then create.
        let (loginStatus, loginData) = try await server.call("POST", "/api/v1/tokens", body: JSONValue.object([
            "username": .string(v["OS_USERNAME"] ?? ""), "password": .string(v["OS_PASSWORD"] ?? ""),
            "project": .string(v["OS_PROJECT_NAME"] ?? "")]).jsonText)
        #expect(loginStatus == 201)
        let token = try #require(try JSONValue.parse(loginData)["token"]?.stringValue)
        let name = "it\(UUID().uuidString.prefix(6).lowercased())"
        let spec = #"{"name":"\#(name)","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"worker":{"image":"ubuntu-22.04","flavor":"m1.medium"},"workers":2,"externalNetwork":"public","components":{"hadoop":{}}}"#
        let createStarted = Date()
        let (status, data) = try await server.call("POST", "/api/v1/clusters", token: token, body: spec)
        #expect(status == 201, "\(String(decoding: data, as: UTF8.self))\n\(server.log(tail: 3000))")
        guard status == 201 else { return }
        let id = try #require(try JSONValue.parse(data)["id"]?.stringValue)

        // Follow it to ready (CREATE_COMPLETE after the signals), with the real outputs.
        let ready = try #require(try await wait(server, token, id, seconds: 300, what: "ready") { $0?.state == "ready" })
        let createSeconds = Date().timeIntervalSince(createStarted)
        #expect(ready.stackStatus == "CREATE_COMPLETE")
        #expect(ready.externalIP?.hasPrefix("203.0.113.") == true, "\(String(describing: ready.externalIP))")
        #expect(ready.masterAddress?.hasPrefix("10.42.0.") == true, "\(String(describing: ready.masterAddress))")
        #expect(ready.components.allSatisfy { $0.state == "ready" }, "\(ready.components)")
        #expect(Set(ready.components.map(\.name)) == ["base", "hadoop"])
        let stackName = ready.stackName
        let servers = try await api.servers(prefix: name)
        #expect(servers.count == 3 && servers.values.allSatisfy { $0 == "ACTIVE" }, "\(servers)")
        let keypair = try #require(ready.sshKeyName)
        #expect(try await api.inventory()["keypairs"]?.contains(keypair) == true)
        let floating = try await api.get("network", "/v2.0/floatingips?floating_ip_address=\(ready.externalIP ?? "")")
        #expect(floating["floatingips"]?[0]?["port_id"]?.stringValue?.isEmpty == false, "the floating IP is not attached")
        let stack = try await api.get("orchestration", "/stacks/\(stackName)/\(ready.stackID ?? "")")
        let tags = (stack["stack"]?["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(tags.contains("disco-cluster=\(id)"), "\(tags)")
        let credentials = try await api.inventory()["application_credentials"] ?? []
        #expect(credentials.contains("disco-\(id)"), "no delegated application credential: \(credentials)")

        // Scale 2 → 3 workers: a stack update.
        try await action(server, token, id, #"{"action":"scale","workers":3}"#)
        let scaled = try await wait(server, token, id, seconds: 180, what: "scaled") { $0?.state == "ready" && $0?.workers == 3 }
        #expect(scaled?.stackStatus == "UPDATE_COMPLETE")
        let afterScale = try await api.servers(prefix: name)
        #expect(afterScale.count == 4 && afterScale.values.allSatisfy { $0 == "ACTIVE" }, "\(afterScale)")

        // Suspend and resume: the servers follow.
        try await action(server, token, id, #"{"action":"suspend"}"#)
        _ = try await wait(server, token, id, seconds: 180, what: "suspended") { $0?.state == "suspended" }
        let suspended = try await api.servers(prefix: name)
        #expect(suspended.values.allSatisfy { $0 == "SUSPENDED" }, "\(suspended)")
        try await action(server, token, id, #"{"action":"resume"}"#)
        _ = try await wait(server, token, id, seconds: 180, what: "resumed") { $0?.state == "ready" }
        let resumed = try await api.servers(prefix: name)
        #expect(resumed.values.allSatisfy { $0 == "ACTIVE" }, "\(resumed)")

        // Delete: the record goes, and so does everything in the cloud, the credential included.
        let (deleteStatus, _) = try await server.call("DELETE", "/api/v1/clusters/\(id)", token: token)
        #expect(deleteStatus == 202)
        _ = try await wait(server, token, id, seconds: 240, what: "deleted") { $0 == nil }
        try await expectNothingLeft(api, baseline: baseline)
        let failures = await signaller.failures
        #expect(failures.isEmpty, "\(failures)")
        #expect(!server.log(tail: 2_000_000).contains(token), "the token reached the log")
        print("real-cloud lifecycle: create→ready \(String(format: "%.1f", createSeconds)) s, whole test \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// The seed README's curl sequence (scripts/readme-curl.sh) against disco-sm on the real cloud.
    @Test(.timeLimit(.minutes(10)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "curl is not installed"))
    func seedReadmeCurlSequenceAgainstTheRealCloud() async throws {
        let (api, baseline, signaller, server, state) = try await startAgainstTheRealCloud()
        defer { Task { await signaller.stop() }; server.terminate(); try? FileManager.default.removeItem(at: state) }
        let script = ServerProcess.repositoryRoot.appendingPathComponent("scripts/readme-curl.sh").path
        let (status, output) = try await runCommand("/usr/bin/env", ["DISCO_README_TIMEOUT=300", "OS_TENANT_NAME=\(api.token.principal.projectName)",
                                                                     "/bin/bash", script, server.base, api.token.value,
                                                                     "ubuntu-22.04", "m1.large", "public"])
        #expect(status == 0, "\(output)\n--- server log ---\n\(server.log(tail: 3000))")
        #expect(output.contains("README sequence passed"))
        #expect(!server.log(tail: 2_000_000).contains(api.token.value), "the token reached the log")
        // The sequence ends right after DELETE; the stack, servers and credential go shortly after.
        try await expectNothingLeft(api, baseline: baseline, seconds: 180)
        let failures = await signaller.failures
        #expect(failures.isEmpty, "\(failures)")
    }
}
