import DiscoCore
import Foundation

/// `create` in the interactive shell: asks for each part of the spec, offering what the cloud and the catalog have,
/// with defaults, checking each answer (and asking again with the reason), then shows the plan and asks to confirm.
struct GuidedCreate {
    var context: Context
    var wait: WaitOptions

    private var console: Console { context.console }

    func run() async throws {
        let prompter = Prompter(console: console)
        console.print("Fetching the catalog and the cloud's images, flavors and networks…")
        let catalog = CatalogInfo(try await context.anonymousClient().components().0)
        let (images, flavors, networks, clusters) = try await context.withClient { client in
            (try await client.images().0, try await client.flavors().0, try await client.networks().0, try await client.clusters().0)
        }
        guard !images.isEmpty, !flavors.isEmpty else { throw CommandFailure(message: "the cloud offers no images or flavors") }
        let external = networks.filter(\.isExternal).map(\.name)
        guard !external.isEmpty else { throw CommandFailure(message: "the cloud has no external network for floating IPs") }

        do {
            // Name.
            let taken = Set(clusters.filter { $0.state != "deleted" }.map(\.name))
            let name: String = try prompter.ask("Cluster name") { answer in
                let probe = ClusterSpec(name: answer, master: NodeSpec(image: "x", flavor: "x"), worker: NodeSpec(image: "x", flavor: "x"),
                                        workers: 0, externalNetwork: "x")
                if let problem = probe.problems().first(where: { $0.path == "name" }) {
                    return .failure(PromptProblem(answer.isEmpty ? "a name is required; \(problem.accepted)" : "\(problem.problem); use \(problem.accepted)"))
                }
                if taken.contains(answer) { return .failure(PromptProblem("a cluster named '\(answer)' already exists; choose another name")) }
                return .success(answer)
            }

            // Components.
            console.print("Components:")
            let offered = catalog.offered
            for (index, component) in offered.enumerated() {
                let manifest = catalog.manifests[component]!
                let summary = manifest.summary.split(separator: "(").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
                let line = "  \(console.paint(String(index + 1), .bold))) \(component) \(manifest.version)"
                    + (manifest.requires.isEmpty ? "" : " (needs \(manifest.requires.joined(separator: ", ")))") + " — " + summary
                console.print(Table.fit(line, console.useColor ? Int.max : console.width - 1))
            }
            let requested: [String] = try prompter.ask("Components, by number or name, comma-separated (empty for none)", default: nil) { answer in
                var chosen: [String] = []
                for token in answer.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
                    if let number = Int(token), offered.indices.contains(number - 1) {
                        chosen.append(offered[number - 1])
                    } else if offered.contains(token.lowercased()) {
                        chosen.append(token.lowercased())
                    } else {
                        let hint = closestMatch(to: token, in: offered).map { "did you mean '\($0)'? " } ?? ""
                        return .failure(PromptProblem("'\(token)' is not a component; \(hint)use 1–\(offered.count) or one of: \(offered.joined(separator: ", "))"))
                    }
                }
                let unique = chosen.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                if let (a, b) = catalog.conflicts(catalog.closure(unique)).first {
                    return .failure(PromptProblem("'\(a)' and '\(b)' conflict; choose one of them"))
                }
                return .success(unique)
            }
            for component in requested {
                let added = catalog.dependencies(of: component).filter { !requested.contains($0) }
                if !added.isEmpty {
                    console.print("  " + console.paint("+ " + added.joined(separator: ", "), .green) + " (required by \(component))")
                }
            }
            var spec = ClusterSpec(name: name, master: NodeSpec(image: "", flavor: ""), worker: NodeSpec(image: "", flavor: ""),
                                   workers: 0, externalNetwork: "")
            for component in requested { spec.components[component] = [:] }
            try context.askMissingProperties(&spec, catalog: catalog)

            // Nodes.
            let imageNames = images.map(\.name)
            let image = try prompter.choose("Image", from: imageNames,
                                            default: imageNames.contains(SpecDefaults.image) ? SpecDefaults.image : imageNames[0])
            let flavorNames = flavors.map(\.name)
            let labels = flavors.map { "\($0.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.vcpus) vCPU, \(ClusterText.memory($0.ramMB)) RAM, \($0.diskGB) GB disk" }
            let masterFlavor = try prompter.choose("Master flavor", from: flavorNames, labels: labels,
                                                   default: flavorNames.contains(SpecDefaults.flavor) ? SpecDefaults.flavor : flavorNames[0])
            let workers: Int = try prompter.ask("Number of workers", default: String(SpecDefaults.workers)) { answer in
                guard let count = Int(answer) else { return .failure(PromptProblem("'\(answer)' is not a whole number; use 0…\(SpecLimits.standard.maxWorkers)")) }
                guard (0...SpecLimits.standard.maxWorkers).contains(count) else {
                    return .failure(PromptProblem("\(count) is not allowed; use 0…\(SpecLimits.standard.maxWorkers)"))
                }
                return .success(count)
            }
            var workerFlavor = masterFlavor
            if workers > 0 {
                workerFlavor = try prompter.choose("Worker flavor", from: flavorNames, labels: labels, default: masterFlavor)
            }
            let externalNetwork = try prompter.choose("External network (floating IPs)", from: external,
                                                      default: external.contains(SpecDefaults.externalNetwork) ? SpecDefaults.externalNetwork : external[0])
            spec.master = NodeSpec(image: image, flavor: masterFlavor)
            spec.worker = NodeSpec(image: image, flavor: workerFlavor)
            spec.workers = workers
            spec.externalNetwork = externalNetwork

            // Summary from the server's plan, then confirm.
            let (plan, _) = try await context.withClient { try await $0.plan(SpecRequest(spec), format: "yaml") }
            console.print("")
            console.print(console.paint("Summary", .bold))
            console.print("  Cluster:    \(name): 1 master \(masterFlavor) + \(workers) worker\(workers == 1 ? "" : "s")"
                          + (workers > 0 ? " \(workerFlavor)" : "") + ", image \(image), network \(externalNetwork)")
            console.print("  Components: " + plan.plan.components.map { "\($0.name) \($0.version)" + ($0.reason == .requested ? "" : " (\($0.reason))") }
                .joined(separator: ", "))
            console.print("  Totals:     " + ClusterText.totals(plan.plan.totals))
            if !plan.plan.uiLinks.isEmpty {
                console.print("  Web UIs:    " + plan.plan.uiLinks.map { "\($0.name) :\($0.port)" }.joined(separator: ", "))
            }
            guard try prompter.confirm("Create cluster \(name)?", default: true) else {
                console.print("Nothing was created.")
                return
            }
            let (created, data) = try await context.withClient { try await $0.create(SpecRequest(spec)) }
            var follow = wait
            if !follow.wait { follow.wait = try prompter.confirm("Follow it until it is ready?", default: true) }
            try await context.finishCreate(created, data: data, wait: follow)
        } catch is Prompter.EndOfInput {
            console.print("")
            throw CommandFailure(message: "input ended; nothing was created")
        }
    }
}
