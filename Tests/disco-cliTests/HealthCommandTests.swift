import DiscoCore
import DiscoOpenStack
import Foundation
import Synchronization
import Testing
@testable import disco_cli

/// A DISCO server in memory: its clusters, with the health each answer carries (one answer after another for
/// `GET /clusters/{id}`, the last repeated; then 404 once `gone`), and the requests it was sent.
private final class HealthServer: HTTPTransport {
    struct State {
        var clusters: [ClusterView]
        /// The answers to `GET /clusters/{id}` of the first cluster, in turn.
        var answers: [ClusterView] = []
        var goneAfterAnswers = false
        var requests: [(method: String, path: String, body: String)] = []
    }

    let state: Mutex<State>
    init(_ clusters: [ClusterView], answers: [ClusterView] = [], goneAfterAnswers: Bool = false) {
        state = Mutex(State(clusters: clusters, answers: answers, goneAfterAnswers: goneAfterAnswers))
    }

    var requests: [(method: String, path: String, body: String)] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let path = request.url.path
        let body = String(decoding: request.body, as: UTF8.self)
        let answer: (any Encodable)? = state.withLock { state -> (any Encodable)? in
            state.requests.append((request.method, path, body))
            if path == "/api/v1/clusters" { return ClusterListView(clusters: state.clusters) }
            guard let cluster = state.clusters.first(where: { path.hasPrefix("/api/v1/clusters/\($0.id)") }) else { return nil }
            if path.hasSuffix("/actions") {
                var checked = cluster
                checked.health = Fixtures.yellow
                return checked
            }
            guard cluster.id == state.clusters[0].id else { return cluster }
            if state.answers.isEmpty { return state.goneAfterAnswers ? nil : cluster }
            if state.answers.count == 1 && !state.goneAfterAnswers { return state.answers[0] }
            return state.answers.removeFirst()
        }
        guard let answer else {
            return HTTPResponse(status: 404, body: Data(#"{"error":{"status":404,"message":"no such cluster","problems":[]}}"#.utf8))
        }
        return HTTPResponse(status: request.method == "POST" ? 202 : 200, body: try DiscoAPIClient.encoder.encode(answer))
    }
}

private enum Fixtures {
    static let checked = Date(timeIntervalSince1970: 1_796_342_400)  // 2026-12-04 00:00:00 UTC

    static func node(_ name: String, _ address: String, _ status: ClusterHealth.Status, daemons: [DaemonHealth],
                     reachable: Bool = true) -> NodeHealth {
        NodeHealth(name: name, role: name == "master" ? "master" : "worker", address: address, status: status,
                   reachable: reachable, checkedAt: checked, daemons: reachable ? daemons : [],
                   diskFreePercent: reachable ? 60 : nil, memoryAvailablePercent: reachable ? 48 : nil)
    }

    static let green = ClusterHealth(status: .green, checkedAt: checked, nodes: [
        node("master", "10.0.0.4", .green, daemons: [DaemonHealth(component: "hadoop", unit: "hadoop-namenode", state: "active")]),
        node("worker0", "10.0.0.5", .green, daemons: [DaemonHealth(component: "hadoop", unit: "hadoop-datanode", state: "active")]),
    ])

    static let yellow = ClusterHealth(
        status: .yellow,
        reasons: [HealthReason(severity: .yellow, component: "hadoop", daemon: "hadoop-datanode", node: "worker0",
                               message: "hadoop: hadoop-datanode is failed (failed) on worker0 (10.0.0.5)"),
                  HealthReason(severity: .yellow, node: "worker1", message: "worker1 (10.0.0.6) is unreachable from the master: timed out after 5 s")],
        checkedAt: checked.addingTimeInterval(60),
        nodes: [
            node("master", "10.0.0.4", .green, daemons: [DaemonHealth(component: "hadoop", unit: "hadoop-namenode", state: "active")]),
            node("worker0", "10.0.0.5", .yellow, daemons: [DaemonHealth(component: "hadoop", unit: "hadoop-datanode", state: "failed"),
                                                           DaemonHealth(component: "hadoop", unit: "hadoop-nodemanager", state: "active")]),
            node("worker1", "10.0.0.6", .yellow, daemons: [], reachable: false),
        ])

    static func cluster(_ name: String, state: String = "ready", health: ClusterHealth? = nil) -> ClusterView {
        var view = ClusterView(ClusterRecord(
            id: "\(name)-0000-0000-0000-000000000000", projectID: "p", projectName: "demo", userID: "u",
            spec: ClusterSpec(name: name, master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
                              worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"), workers: 2, externalNetwork: "public"),
            components: [], uiLinks: [],
            totals: ResourceTotals(instances: 3, vcpus: 12, ramMB: 24576, diskGB: 240, floatingIPs: 1, networks: 1, routers: 1, securityGroups: 1),
            stackName: "disco-\(name)", createdAt: checked))
        view.state = state
        view.stateReason = state == "ready" ? "cluster ready" : "installing frameworks"
        view.progress = state == "ready" ? 100 : 60
        view.health = health
        return view
    }
}

/// Runs the CLI in-process against `server`, with a capturing console.
private func run(_ arguments: [String], _ server: HealthServer, color: Bool = false) async -> RunResult {
    let (console, out, err) = Console.capturing(width: 120, color: color)
    let cli = CLI(environment: ["DISCO_URL": "http://127.0.0.1:1", "DISCO_TOKEN": "t"], console: console, transport: server)
    let status = await cli.run(arguments: arguments)
    return RunResult(status: status, stdout: out.text, stderr: err.text)
}

/// Health in `list`, `show`, `watch` and `check`.
@Suite struct HealthCommandTests {
    @Test func listHasAHealthColumnColouredLikeTheStateColumn() async throws {
        let server = HealthServer([Fixtures.cluster("alpha", health: Fixtures.green), Fixtures.cluster("beta", health: Fixtures.yellow),
                                   Fixtures.cluster("gamma"), Fixtures.cluster("delta", state: "installing")])
        let plain = await run(["list"], server)
        #expect(plain.status == 0, "\(plain.stderr)")
        let lines = plain.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("NAME   ID        STATE       HEALTH  PROGRESS"), "\(lines[0])")
        func row(_ name: String) -> [Substring] { lines.first { $0.hasPrefix(name + " ") }?.split(separator: " ") ?? [] }
        #expect(row("alpha").prefix(4) == ["alpha", "alpha-00", "ready", "green"])
        #expect(row("beta").prefix(4) == ["beta", "beta-000", "ready", "yellow"])
        #expect(row("gamma").prefix(4) == ["gamma", "gamma-00", "ready", "-"])
        #expect(row("delta").prefix(4) == ["delta", "delta-00", "installing", "-"])

        let coloured = await run(["list"], server, color: true)
        #expect(coloured.stdout.contains("\u{1B}[32mgreen\u{1B}[0m"))
        #expect(coloured.stdout.contains("\u{1B}[33myellow\u{1B}[0m"))
        // '-' (not checked) is not coloured.
        #expect(!coloured.stdout.contains("m-\u{1B}[0m"))
    }

    @Test func showPrintsStatusCheckedTimeEveryReasonAndANodeTable() async throws {
        let server = HealthServer([Fixtures.cluster("beta", health: Fixtures.yellow)])
        let shown = await run(["show", "beta"], server)
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex { $0.hasPrefix("Health ") })
        #expect(lines[at] == "Health    yellow, checked \(ClusterText.time(Fixtures.checked.addingTimeInterval(60)))")
        #expect(lines[at + 1] == "          - hadoop: hadoop-datanode is failed (failed) on worker0 (10.0.0.5)")
        #expect(lines[at + 2] == "          - worker1 (10.0.0.6) is unreachable from the master: timed out after 5 s")
        let table = try #require(lines.firstIndex { $0.hasPrefix("NODE ") })
        #expect(lines[table] == "NODE     ADDRESS   HEALTH  DAEMONS DOWN              DISK FREE  MEMORY AVAILABLE")
        #expect(lines[table + 1] == "master   10.0.0.4  green   -                               60%               48%")
        #expect(lines[table + 2] == "worker0  10.0.0.5  yellow  hadoop-datanode (failed)        60%               48%")
        #expect(lines[table + 3] == "worker1  10.0.0.6  yellow  unreachable                       -                 -")

        let unchecked = await run(["show", "gamma"], HealthServer([Fixtures.cluster("gamma")]))
        #expect(unchecked.stdout.contains("Health    not checked yet; check now with: disco-cli check gamma\n"))
        #expect(!unchecked.stdout.contains("NODE "))
        let installing = await run(["show", "delta"], HealthServer([Fixtures.cluster("delta", state: "installing")]))
        #expect(!installing.stdout.contains("Health"))
    }

    @Test func checkPostsTheCheckActionAndPrintsTheNewHealth() async throws {
        let server = HealthServer([Fixtures.cluster("beta", health: Fixtures.green)])
        let checked = await run(["check", "beta"], server)
        #expect(checked.status == 0, "\(checked.stderr)")
        let post = try #require(server.requests.first { $0.method == "POST" })
        #expect(post.path == "/api/v1/clusters/beta-0000-0000-0000-000000000000/actions")
        #expect(post.body == #"{"action":"check"}"#)
        let lines = checked.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Checked beta: yellow, checked \(ClusterText.time(Fixtures.checked.addingTimeInterval(60)))")
        #expect(lines[1] == "  - hadoop: hadoop-datanode is failed (failed) on worker0 (10.0.0.5)")
        #expect(lines[2] == "  - worker1 (10.0.0.6) is unreachable from the master: timed out after 5 s")
        #expect(lines[3] == "")
        #expect(lines[4].hasPrefix("NODE "))
        #expect(lines.contains("worker0  10.0.0.5  yellow  hadoop-datanode (failed)        60%               48%"))

        let json = await run(["check", "beta", "--json"], server)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["health"] as? [String: Any])?["status"] as? String == "yellow")

        let usage = await run(["check"], server)
        #expect(usage.status == 64 && usage.stderr.hasPrefix("Error: missing <cluster>\nUsage: disco-cli check <cluster>"))
    }

    @Test func watchWithHealthPrintsEachHealthChangeUntilTheClusterIsGone() async throws {
        let base = Fixtures.cluster("beta")
        var green = base, yellow = base, laterYellow = base
        green.health = Fixtures.green
        yellow.health = Fixtures.yellow
        laterYellow.health = Fixtures.yellow
        laterYellow.health?.checkedAt = Fixtures.checked.addingTimeInterval(120)
        // Ready without health, green, yellow, yellow checked again (no change), green, then deleted.
        let server = HealthServer([base], answers: [base, green, yellow, laterYellow, green], goneAfterAnswers: true)
        let watched = await run(["watch", "beta", "--health", "--interval", "0.1"], server)
        #expect(watched.status == 0, "\(watched.stderr)")
        #expect(watched.stdout == """
            beta: ready 100% — cluster ready
            beta: health green
            beta: health yellow — hadoop: hadoop-datanode is failed (failed) on worker0 (10.0.0.5); \
            worker1 (10.0.0.6) is unreachable from the master: timed out after 5 s
            beta: health green
            beta: deleted 100% — the cluster is gone

            """)

        // Without --health, watch ends when the cluster has settled.
        let once = await run(["watch", "beta", "--interval", "0.1"], HealthServer([green]))
        #expect(once.stdout == "beta: ready 100% — cluster ready\nbeta: health green\n")
    }

    @Test func theLiveViewShowsTheHealthUnderTheState() {
        var cluster = Fixtures.cluster("beta", health: Fixtures.yellow)
        let (console, _, _) = Console.capturing(isTTY: true, width: 80)
        let lines = ClusterText.progress(cluster, console: console)
        #expect(lines[2] == "  health yellow — hadoop: hadoop-datanode is failed (failed) on worker0 (10.0.…")
        cluster.health = nil
        #expect(!ClusterText.progress(cluster, console: console).contains { $0.contains("health") })
    }
}

/// `check` and the `HEALTH` column against a real disco-sm, whose simulated cloud serves health documents.
@Suite(.timeLimit(.minutes(2))) struct HealthCommandServerTests {
    @Test func checkReadsAReadyClustersHealthFromTheSimulatedCloud() async throws {
        let name = uniqueName("vital")
        let created = try await runCLI(["create", name, "-c", "hadoop", "-w", "1", "--flavor", "m1.large",
                                        "--wait", "--interval", "0.2", "--timeout", "60", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        let checked = try await runCLI(["check", name])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.hasPrefix("Checked \(name): green, checked "), "\(checked.stdout)")
        #expect(checked.stdout.contains("\nmaster   10.42.0."))
        #expect(checked.stdout.contains("\nworker0  10.42.0."))
        let list = try await runCLI(["list"])
        let row = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") })
        #expect(row.split(separator: " ").prefix(4).last == "green", "\(row)")
        _ = try await runCLI(["delete", name])
    }
}
