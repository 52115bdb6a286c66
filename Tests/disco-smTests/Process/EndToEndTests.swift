import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `disco-sm` binary on loopback: the seed README with real curl, and crashes with SIGKILL.
@Suite(.serialized) struct EndToEndTests {
    static let curl = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

    func fastConfig() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("disco-fast-\(UUID().uuidString).cfg")
        try "[simulation]\nready_seconds = 2\n[disco]\npoll_interval = 0.3\n".write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A `disco-sm` with ``fastConfig()`` on a free port and a fresh state directory; `cleanup` removes both files.
    func startFastServer(_ name: String) async throws -> (server: ServerProcess, cleanup: @Sendable () -> Void) {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-\(name)-\(UUID().uuidString)")
        let config = try fastConfig()
        let cleanup: @Sendable () -> Void = {
            try? FileManager.default.removeItem(at: state)
            try? FileManager.default.removeItem(at: config)
        }
        let port = ServerProcess.freePort()
        do {
            let server = try await ServerProcess(arguments: ["-c", config.path, "--port", String(port), "--state-dir", state.path], port: port)
            return (server, cleanup)
        } catch {
            cleanup()
            throw error
        }
    }

    @Test(.enabled(if: curl, "curl is not installed")) func seedReadmeCurlSequence() async throws {
        let (server, cleanup) = try await startFastServer("e2e")
        defer { server.terminate(); cleanup() }
        let (token, _) = try await server.login()
        let script = ServerProcess.repositoryRoot.appendingPathComponent("scripts/readme-curl.sh").path
        let (status, output) = try await runCommand("/bin/bash", [script, server.base, token])
        #expect(status == 0, "\(output)\n--- server log ---\n\(server.log(tail: 3000))")
        #expect(output.contains("README sequence passed"))
        #expect(!server.log(tail: 1_000_000).contains(token), "the token reached the log")
    }

    /// Creates in flight, SIGKILL at varying moments, restart: every acknowledged create is there, and every
    /// stack in the cloud belongs to a record. (At most 18 single-node clusters, each with a floating IP: the simulator's
    /// default quota of 10 floating IPs is raised so a fast run, which gets more creates acknowledged, stays within it.)
    @Test func killNineDuringCreatesLosesNothing() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let simPort = ServerProcess.freePort()
        let cloud = try await ServerProcess(arguments: ["simulate-cloud", "--port", String(simPort), "--ready-seconds", "1", "--quota-instances", "40"],
                                            port: simPort, healthPath: "/identity/v3")
        defer { cloud.terminate() }
        let port = ServerProcess.freePort()
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("disco-crash-\(UUID().uuidString).cfg")
        try """
            [service_manager]
            design_uri = http://127.0.0.1:\(simPort)/identity/v3
            port = \(port)
            state_directory = \(state.path)
            [disco]
            poll_interval = 0.2

            """.write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }

        var acknowledged: [String] = []
        for round in 0..<3 {
            let server = try await ServerProcess(arguments: ["-c", config.path], port: port)
            let (token, _) = try await server.login()
            let ids = await withTaskGroup(of: String?.self) { group in
                for n in 0..<6 {
                    group.addTask {
                        let body = #"{"name":"crash\#(round)-\#(n)","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"workers":0,"externalNetwork":"public"}"#
                        guard let (status, data) = try? await server.call("POST", "/api/v1/clusters", token: token, body: body), status == 201,
                              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
                        return object["id"] as? String
                    }
                }
                // Kill once a few creates were answered, with the rest in flight (and stacks being created).
                var ids: [String] = []
                var killed = false
                for await id in group {
                    if let id { ids.append(id) }
                    if !killed && ids.count >= round + 2 {
                        server.kill9()
                        killed = true
                    }
                }
                if !killed { server.kill9() }
                return ids
            }
            acknowledged += ids
        }
        // The kills must have hit with some creates answered (else the test proves nothing).
        #expect(acknowledged.count >= 3, "only \(acknowledged.count) creates were acknowledged before the kills")
        let server = try await ServerProcess(arguments: ["-c", config.path], port: port)
        defer { server.terminate() }
        let (token, project) = try await server.login()
        for id in acknowledged {
            let (status, _) = try await server.call("GET", "/api/v1/clusters/\(id)", token: token)
            #expect(status == 200, "acknowledged cluster \(id) was lost")
        }
        // Every record reaches a terminal state, and the cloud has exactly one stack per record.
        var states: [String] = []
        for _ in 0..<150 {
            let (_, data) = try await server.call("GET", "/api/v1/clusters", token: token)
            let clusters = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["clusters"] as? [[String: Any]] ?? []
            states = clusters.compactMap { $0["state"] as? String }
            if states.allSatisfy({ $0 == "ready" || $0 == "failed" }) { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(states.count >= acknowledged.count)
        #expect(states.allSatisfy { $0 == "ready" }, "\(states)\n\(server.log(tail: 3000))")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(simPort)/heat/v1/\(project)/stacks")!)
        request.setValue(token, forHTTPHeaderField: "X-Auth-Token")
        let (data, _) = try await URLSession.shared.data(for: request)
        let stacks = ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["stacks"] as? [[String: Any]] ?? [])
            .compactMap { $0["stack_name"] as? String }
        #expect(stacks.count == states.count, "stacks \(stacks.count) vs records \(states.count)")
        #expect(Set(stacks).count == stacks.count)
    }

    /// Request lines are written by a log thread in batches; a graceful stop (SIGTERM) writes every one first.
    @Test func everyRequestLineIsWrittenBeforeAGracefulExit() async throws {
        let (server, cleanup) = try await startFastServer("log")
        defer { server.terminate(); cleanup() }
        let (token, _) = try await server.login()
        let count = 300
        for i in 0..<count {
            let (status, _) = try await server.call("GET", i % 2 == 0 ? "/" : "/api/v1/clusters/missing-\(i)", token: token)
            #expect(status == (i % 2 == 0 ? 200 : 404))
        }
        let exitStatus = try await server.stopGracefully()
        #expect(exitStatus == 0)
        let lines = server.log(tail: 10_000_000).split(separator: "\n")
        #expect(lines.filter { $0.contains(" info disco-sm: request ") && $0.hasSuffix(" route=/ status=200") }.count == count / 2)
        #expect(lines.filter { $0.contains(" info disco-sm: request ") && $0.hasSuffix(" route=/api/v1/clusters/{id} status=404") }.count == count / 2, "\(lines.suffix(3))")
        #expect(lines.last?.hasSuffix(" stopped") == true)
        #expect(!lines.joined().contains(token))
    }
}
