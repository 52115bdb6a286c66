import DiscoCore
import Foundation

extension Context {
    /// Finds a cluster by id, name or id prefix (at least 4 characters).
    func resolve(_ reference: String) async throws -> ClusterView {
        let isUUID = reference.count == 36 && reference.filter { $0 == "-" }.count == 4
        if isUUID {
            do {
                return try await withClient { try await $0.cluster(reference).0 }
            } catch let error as DiscoClientError where error.status == 404 {
                throw CommandFailure(message: "no cluster '\(reference)' in this project; see 'disco-cli list'")
            }
        }
        let clusters = try await withClient { try await $0.clusters().0 }
        if let exact = clusters.first(where: { $0.id == reference }) { return exact }
        let named = clusters.filter { $0.name == reference }
        let living = named.filter { $0.state != "deleted" }
        let candidates = living.isEmpty ? named : living
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 {
            throw CommandFailure(message: "\(candidates.count) clusters are named '\(reference)'; give the id: "
                                 + candidates.map(\.id).joined(separator: ", "))
        }
        if reference.count >= 4 {
            let prefixed = clusters.filter { $0.id.hasPrefix(reference.lowercased()) }
            if prefixed.count == 1 { return prefixed[0] }
        }
        let hint = closestMatch(to: reference, in: clusters.map(\.name)).map { "; did you mean '\($0)'?" } ?? "; see 'disco-cli list'"
        throw CommandFailure(message: "no cluster '\(reference)' in this project\(hint)")
    }

    func list() async throws {
        let (clusters, data) = try await withClient { try await $0.clusters() }
        if global.json { return emitJSON(data) }
        guard !clusters.isEmpty else {
            console.print("No clusters. Create one with: disco-cli create <name> -c spark,jupyter --wait")
            return
        }
        let rows = clusters.sorted { $0.createdAt < $1.createdAt }.map { c in
            [c.name, String(c.id.prefix(8)), c.state, HealthText.cell(c.health), "\(c.progress)%", workerText(c),
             c.components.filter { $0.reason == "requested" }.map(\.name).joined(separator: ","),
             c.externalIP ?? "-", Self.age(since: c.createdAt)]
        }
        let table = Table([.init(title: "NAME", isFlexible: true), .init(title: "ID"),
                           .init(title: "STATE", style: Style.forState), .init(title: "HEALTH", style: Style.forHealth),
                           .init(title: "PROGRESS", alignRight: true),
                           .init(title: "WORKERS", alignRight: true), .init(title: "COMPONENTS", isFlexible: true),
                           .init(title: "ADDRESS"), .init(title: "AGE", alignRight: true)], rows: rows)
        for line in table.render(width: console.width, console: console) { console.print(line) }
    }

    /// The names of the clusters not deleted, oldest first, each once: what the shell completes a `<cluster>` with.
    func clusterNames() async throws {
        let clusters = try await withClient { try await $0.clusters().0 }
        var seen = Set<String>()
        for cluster in clusters.sorted(by: { $0.createdAt < $1.createdAt }) where cluster.state != "deleted" {
            if seen.insert(cluster.name).inserted { console.print(cluster.name) }
        }
    }

    private func workerText(_ c: ClusterView) -> String {
        if let desired = c.desiredWorkers, desired != c.workers { return "\(c.workers)→\(desired)" }
        return String(c.workers)
    }

    func show(_ reference: String) async throws {
        let found = try await resolve(reference)
        let (cluster, data) = try await withClient { try await $0.cluster(found.id) }
        if global.json { return emitJSON(data) }
        for line in ClusterText.details(cluster, console: console) { console.print(line) }
    }

    func events(_ reference: String) async throws {
        let cluster = try await resolve(reference)
        let (events, data) = try await withClient { try await $0.events(cluster.id) }
        if global.json { return emitJSON(data) }
        let rows = events.map { [ClusterText.time($0.time), $0.state.rawValue, $0.message] }
        let table = Table([.init(title: "TIME"), .init(title: "STATE", style: Style.forState),
                           .init(title: "MESSAGE", isFlexible: true)], rows: rows)
        for line in table.render(width: console.width, console: console) { console.print(line) }
    }

    func watch(_ reference: String, options: WaitOptions) async throws {
        let cluster = try await resolve(reference)
        let (final, data) = try await follow(cluster.id, options: options, until: nil)
        if global.json { emitJSON(data) }
        try check(final, expected: nil)
    }

    /// `check`: the server reads the cluster's health now; prints what it found.
    func checkHealth(_ reference: String) async throws {
        let cluster = try await resolve(reference)
        let (result, data) = try await withClient { try await $0.act(cluster.id, action: "check") }
        if global.json { return emitJSON(data) }
        guard let health = result.health else {
            console.print("Checked \(result.name): its health document could not be judged yet (state \(result.state)).")
            return
        }
        let summary = HealthText.summary(health, console: console, indent: "  ")
        console.print("Checked \(result.name): " + summary[0])
        for line in summary.dropFirst() { console.print(line) }
        let nodes = HealthText.nodes(health, console: console)
        if !nodes.isEmpty {
            console.print("")
            for line in nodes { console.print(line) }
        }
    }

    /// `scale`, `suspend`, `resume`.
    func act(_ action: String, cluster reference: String, workers: Int?, options: WaitOptions) async throws {
        let cluster = try await resolve(reference)
        var (result, data) = try await withClient { try await $0.act(cluster.id, action: action, workers: workers) }
        let expected = action == "suspend" ? "suspended" : "ready"
        if options.wait {
            (result, data) = try await follow(cluster.id, options: options, until: expected)
        } else if !global.json {
            let what = action == "scale" ? "scaling to \(workers ?? 0) workers" : "\(action == "suspend" ? "suspending" : "resuming")"
            console.print("Cluster \(result.name) is \(what) (state \(console.paint(result.state, Style.forState(result.state)))); "
                          + "follow it with: disco-cli watch \(result.name)")
        }
        if global.json { emitJSON(data) }
        if options.wait { try check(result, expected: expected) }
    }

    func delete(_ reference: String, options: WaitOptions, yes: Bool) async throws {
        let cluster = try await resolve(reference)
        if !yes && console.isInputTTY && !global.json {
            let sure = try Prompter(console: console).confirm("Delete cluster \(cluster.name) (\(cluster.id)) and all its servers?", default: false)
            guard sure else { throw CommandFailure(message: "not deleted") }
        }
        var (result, data) = try await withClient { try await $0.delete(cluster.id) }
        if options.wait {
            // The delete may finish before the first poll: its answer stands in for the last view seen.
            (result, data) = try await follow(cluster.id, options: options, until: "deleted", lastSeen: result)
            try check(result, expected: "deleted")
        }
        if global.json { return emitJSON(data) }
        if result.state == "deleted" {
            console.print("Deleted cluster \(result.name) (\(result.id)).")
        } else {
            console.print("Deleting cluster \(result.name) (\(result.id)); follow it with: disco-cli watch \(result.name)")
        }
    }

    /// Fails when a followed cluster did not end as expected.
    func check(_ cluster: ClusterView, expected: String?) throws {
        if cluster.state == "failed" {
            throw CommandFailure(message: "cluster \(cluster.name) failed: \(cluster.stateReason)",
                                 hint: "  See 'disco-cli events \(cluster.name)' for what happened.")
        }
        if let expected, cluster.state != expected {
            throw CommandFailure(message: "cluster \(cluster.name) ended \(cluster.state), not \(expected): \(cluster.stateReason)")
        }
    }

    /// Polls a cluster until it settles (or reaches `until`), drawing its progress: redrawn in place on a terminal,
    /// one line per change otherwise, nothing with `--json`. A cluster that disappears counts as deleted once it has
    /// been seen (`lastSeen`: a view from the request that started the change).
    func follow(_ id: String, options: WaitOptions, until target: String?,
                lastSeen: ClusterView? = nil) async throws -> (ClusterView, Data) {
        let start = ContinuousClock.now
        var drawnLines = 0
        var lastSignature = ""
        var previous: ClusterView?
        var seenActive = false
        while true {
            var current: (ClusterView, Data)
            do {
                current = try await withClient { try await $0.cluster(id) }
            } catch let error as DiscoClientError where error.status == 404 {
                guard var last = previous ?? lastSeen else { throw CommandFailure(message: "no cluster '\(id)' in this project") }
                last.state = "deleted"
                last.stateReason = "the cluster is gone"
                last.progress = 100
                let data = (try? JSONSerialization.data(withJSONObject: ["id": last.id, "name": last.name, "state": "deleted"],
                                                        options: [.sortedKeys])) ?? Data()
                current = (last, data)
            }
            let cluster = current.0
            if cluster.isSettling { seenActive = true }
            if !global.json {
                if console.isOutputTTY {
                    let lines = ClusterText.progress(cluster, console: console)
                    var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)F\u{1B}[J" : ""
                    text += lines.joined(separator: "\n") + "\n"
                    console.print(text, terminator: "")
                    drawnLines = lines.count
                } else {
                    for line in ClusterText.changes(from: previous, to: cluster) where line != lastSignature {
                        console.print(line)
                        lastSignature = line
                    }
                }
            }
            previous = cluster
            if options.health && cluster.state != "failed" && cluster.state != "deleted" {
                // Follows health past settling, until the timeout (not a failure: nothing was awaited).
                if ContinuousClock.now - start > .seconds(options.timeout) { return current }
                try await Task.sleep(for: .seconds(options.interval))
                continue
            }
            let reached = target.map { cluster.state == $0 } ?? false
            // An action that has not started yet still shows the old stable state: wait for the change unless
            // the target is reached or a second has passed.
            let settled = !cluster.isSettling && (seenActive || target == nil || ContinuousClock.now - start > .seconds(2))
            if reached || cluster.state == "failed" || cluster.state == "deleted" || settled { return current }
            if ContinuousClock.now - start > .seconds(options.timeout) {
                throw CommandFailure(message: "gave up waiting after \(Int(options.timeout)) s; cluster \(cluster.name) is still \(cluster.state)",
                                     hint: "  Follow it with 'disco-cli watch \(cluster.name)'.")
            }
            try await Task.sleep(for: .seconds(options.interval))
        }
    }

    static func age(since date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }
}
