import DiscoCore
import DiscoOpenStack
import DiscoRuntime
import Foundation

extension Context {
    /// The offline inventory: the simulated cloud's images, flavors and external network.
    static let builtInInventory = SimulatedCloud.Configuration().inventory

    /// The built-in inventory, plus flavors defined on the command line, plus the images and external network the
    /// spec names (they cannot be checked offline; Heat resolves them by name).
    static func offlineInventory(for spec: ClusterSpec, definitions: [Flavor]) -> CloudInventory {
        var inventory = builtInInventory
        for flavor in definitions {
            inventory.flavors.removeAll { $0.name == flavor.name }
            inventory.flavors.append(flavor)
        }
        for image in [spec.master.image, spec.worker.image] where inventory.image(image) == nil && !image.isEmpty {
            inventory.images.append(Image(id: image, name: image))
        }
        if inventory.network(spec.externalNetwork) == nil && !spec.externalNetwork.isEmpty {
            inventory.networks.append(Network(id: spec.externalNetwork, name: spec.externalNetwork, isExternal: true))
        }
        return inventory
    }

    struct PlanOutput: Encodable {
        var plan: PlanSummary
        var template: String
        var format: String
        var inventory: String
    }

    func plan(_ command: PlanCommand) async throws {
        var request = try makeRequest(command.spec)
        let output: PlanOutput
        if command.remote {
            if console.isInputTTY, let catalog = try? await anonymousClient().components().0 {
                try askMissingProperties(&request.spec, catalog: CatalogInfo(catalog))
            }
            let (response, _) = try await withClient { [request] in try await $0.plan(request, format: command.format) }
            output = PlanOutput(plan: response.plan, template: response.template, format: response.format, inventory: "server")
        } else {
            let catalog = try ComponentCatalog.builtIn()
            try askMissingProperties(&request.spec, catalog: CatalogInfo(catalog.names.compactMap { catalog[$0]?.manifest }))
            let plan = try await offlinePlan(request.spec, command: command, catalog: catalog)
            output = PlanOutput(plan: plan.summary, template: command.format == "json" ? plan.template.json() : plan.template.yaml(),
                                format: command.format, inventory: "built-in")
        }
        if let path = command.output {
            try writeFile(path, contents: output.template.hasSuffix("\n") ? output.template : output.template + "\n", mode: 0o644, replace: true)
        }
        if global.json { return try emitJSON(output) }
        if command.templateOnly {
            console.print(output.template, terminator: output.template.hasSuffix("\n") ? "" : "\n")
            return
        }
        for line in Self.planText(output.plan, console: console, inventory: output.inventory) { console.print(line) }
        if let path = command.output {
            console.print("")
            console.print("Heat template (\(output.format)) written to \(path); deploy it with: openstack stack create -t \(path) \(request.spec.name)")
        } else {
            console.print("")
            console.print(console.paint("# Heat template (\(output.format))", .dim))
            console.print(output.template, terminator: output.template.hasSuffix("\n") ? "" : "\n")
        }
    }

    private func offlinePlan(_ spec: ClusterSpec, command: PlanCommand, catalog: ComponentCatalog) async throws -> ClusterPlan {
        let inventory = Self.offlineInventory(for: spec, definitions: command.spec.flavorDefinitions)
        let planner = Planner(catalog: catalog)
        // Check the spec before making keys, so mistakes are reported quickly.
        _ = try planner.plan(spec, inventory: inventory, context: .preview)

        let generator = SSHKeygenGenerator()
        let user: SSHKeyPair
        if let file = command.publicKeyFile {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure(message: "cannot read the public key \(file)") }
            let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard key.hasPrefix("ssh-") || key.hasPrefix("ecdsa-"), !key.contains("PRIVATE KEY") else {
                throw CommandFailure(message: "\(file) is not an OpenSSH public key (ssh-ed25519 AAAA… or ssh-rsa AAAA…)")
            }
            user = SSHKeyPair(publicKey: key, privateKey: "")
        } else {
            user = try await generator.makeKeyPair(comment: "disco-\(spec.name)")
            if let path = command.keyOutput {
                try writeFile(path, contents: user.privateKey, mode: 0o600, replace: false)
                console.printError("Saved the generated private key to \(path) (mode 0600).")
            } else if !global.json {
                console.printError("Note: the template holds a freshly generated SSH key; pass --public-key ~/.ssh/id_ed25519.pub "
                                   + "to log in with your own key, or --key-out FILE to keep the generated one.")
            }
        }
        return try planner.plan(spec, inventory: inventory, context: .newCluster(keys: ClusterKeys(user: user)))
    }

    static func planText(_ plan: PlanSummary, console: Console, inventory: String) -> [String] {
        var lines: [String] = []
        let source = inventory == "server"
            ? "checked against the server's cloud"
            : "offline, built-in inventory: the simulated cloud's images, flavors (m1.small…m1.xlarge) and network 'public'"
        lines.append(console.paint("Plan for cluster \(plan.name)", .bold) + " (\(source))")
        lines.append("")
        lines += Table([.init(title: "COMPONENT"), .init(title: "VERSION"), .init(title: "WHY", isFlexible: true)],
                       rows: plan.components.map { [$0.name, $0.version, $0.reason.description] })
            .render(width: console.width, console: console)
        lines.append("")
        lines += Table([.init(title: "PORT", alignRight: true), .init(title: "EXPOSURE"), .init(title: "FOR"),
                        .init(title: "DESCRIPTION", isFlexible: true)],
                       rows: plan.ports.map { ["\($0.port)", $0.exposure.rawValue, $0.components.joined(separator: ","), $0.description] })
            .render(width: console.width, console: console)
        lines.append("")
        var memoryRows: [[String]] = []
        for budget in plan.memory {
            let node = "\(budget.node) (\(budget.flavor), \(budget.ramMB) MB)"
            memoryRows.append([node, "", "operating system", "\(budget.osReservedMB)"])
            for share in budget.shares {
                memoryRows.append(["", share.component, share.process + (share.isElastic ? " (the rest, shared)" : ""), "\(share.megabytes)"])
            }
            memoryRows.append(["", "", "unassigned", "\(budget.unassignedMB)"])
        }
        lines += Table([.init(title: "NODE"), .init(title: "COMPONENT"), .init(title: "MEMORY FOR", isFlexible: true),
                        .init(title: "MB", alignRight: true)], rows: memoryRows)
            .render(width: console.width, console: console)
        lines.append("")
        if !plan.uiLinks.isEmpty {
            lines.append("Web UIs:   " + plan.uiLinks.map { "\($0.name) :\($0.port)\($0.isPublic ? "" : " (SSH tunnel)")" }.joined(separator: ", "))
        }
        lines.append("Nodes:     1 master + \(plan.workers) worker\(plan.workers == 1 ? "" : "s")")
        lines.append("Totals:    " + ClusterText.totals(plan.totals))
        lines.append("Stack:     \(plan.stackName)")
        return lines
    }
}
