/// Turns a ``ClusterSpec`` into a ``ClusterPlan``: validates it against the catalog and the cloud's inventory,
/// resolves components, sizes YARN, composes the install scripts and the Heat template.
///
/// ```swift
/// let planner = Planner(catalog: try .builtIn())
/// let plan = try planner.plan(spec, inventory: inventory, context: context)
/// print(plan.template.yaml())
/// ```
public struct Planner: Sendable {
    public var catalog: ComponentCatalog
    public var options: PlanOptions

    public init(catalog: ComponentCatalog, options: PlanOptions = .init()) {
        self.catalog = catalog
        self.options = options
    }

    /// Plans `spec`, reporting every problem at once.
    ///
    /// - Throws: ``SpecValidationError`` with field paths, what was wrong and what is accepted.
    public func plan(_ spec: ClusterSpec, inventory: CloudInventory, context: PlanContext) throws(SpecValidationError) -> ClusterPlan {
        var problems = spec.problems(limits: options.limits)
        problems += inventoryProblems(spec, inventory)

        var components: [ResolvedComponent] = []
        do {
            components = try ComponentResolver.resolve(spec.components.keys.sorted(), in: catalog)
        } catch {
            problems += error.problems
        }
        var secretHashes: [String: String] = [:]
        for index in components.indices {
            let name = components[index].name
            let (values, hashes, propertyProblems) = effectiveProperties(of: name, given: spec.components[name] ?? [:], salt: context.hashesSecrets ? context.secretSalt : nil)
            components[index].properties = values
            secretHashes.merge(hashes) { $1 }
            problems += propertyProblems
        }
        let masterFlavor = inventory.flavor(spec.master.flavor)
        let workerFlavor = inventory.flavor(spec.worker.flavor)
        // An out-of-range worker count is already a problem; its quota arithmetic could overflow (found by Benchmarks/hostile.sh).
        if let masterFlavor, let workerFlavor, (0...options.limits.maxWorkers).contains(spec.workers) {
            problems += quotaProblems(spec, master: masterFlavor, worker: workerFlavor, quota: inventory.quota)
        }
        guard problems.isEmpty, let masterFlavor, let workerFlavor else {
            throw SpecValidationError(problems: problems)
        }

        let names = components.map(\.name)
        // One memory budget per node, shared by the processes placed on it; YARN gets its share for containers.
        let memory = MemoryPlanner.plan(components, catalog: catalog, workers: spec.workers, master: masterFlavor, worker: workerFlavor)
        guard memory.problems.isEmpty else { throw SpecValidationError(problems: memory.problems) }
        // NodeManagers run on the workers, or on the master when there are none.
        let nodeManagerFlavor = spec.workers > 0 ? workerFlavor : masterFlavor
        let yarn: YarnSizing? = names.contains("hadoop")
            ? YarnSizing(availableMB: memory.megabytes("hadoop", "containers")
                            ?? nodeManagerFlavor.ramMB - YarnSizing.reservedMB(ramMB: nodeManagerFlavor.ramMB),
                         vcpus: nodeManagerFlavor.vcpus)
            : nil
        var spark: SparkSizing?
        if let yarn, let properties = components.first(where: { $0.name == "spark" })?.properties {
            switch SparkSizing.fitting(yarn, nodes: spec.workers, sharesNodeWithAppMaster: spec.workers == 0,
                                       executorMemory: properties[SparkSizing.executorMemoryProperty] ?? "auto",
                                       executorCores: properties[SparkSizing.executorCoresProperty] ?? "auto") {
            case let .success(sizing):
                spark = sizing
            case let .failure(misfit):
                let role = spec.workers > 0 ? "worker" : "master"
                problems.append(.init(path: "components.spark", found: nil,
                                      problem: "on the \(role) (flavor \(nodeManagerFlavor.name), \(nodeManagerFlavor.ramMB) MB) \(misfit.problem)",
                                      accepted: misfit.accepted))
            }
        }
        let ports = plannedPorts(names)
        let uiLinks = plannedUILinks(names, ports: ports)
        let scripts = ScriptComposer(catalog: catalog, options: options)
        let input = ScriptComposer.Input(spec: spec, components: components, secretHashes: secretHashes,
                                         master: masterFlavor, worker: workerFlavor, yarn: yarn, spark: spark,
                                         memory: memory.variables)
        let masterScript = scripts.compose(input, role: .master)
        let workerScript = scripts.compose(input, role: .workers)
        let masterUserData = NodeUserData.make(script: masterScript, role: .master, form: options.userData)
        let workerUserData = NodeUserData.make(script: workerScript, role: .workers, form: options.userData)
        // Refused here, before any stack exists: Nova would fail the server only once Heat creates it.
        problems += [("master", masterScript, masterUserData), ("worker", workerScript, workerUserData)].compactMap {
            UserDataLimit.problem(role: $0, script: $1, userData: $2)
        }
        if !problems.isEmpty { throw SpecValidationError(problems: problems) }

        // The wait condition outlasts every readiness check plus time for downloads and worker registration.
        let readinessTotal = names.compactMap { catalog[$0]?.manifest.readiness?.timeoutSeconds }.reduce(0, +)
        let installTimeout = max(options.installTimeoutSeconds, readinessTotal + 1800)
        let composer = TemplateComposer(options: options)
        let template = composer.compose(.init(spec: spec, stackName: context.stackName, components: names, ports: ports,
                                              uiLinks: uiLinks, userPublicKey: context.keys.user.publicKey,
                                              masterUserData: masterUserData, workerUserData: workerUserData,
                                              installTimeoutSeconds: installTimeout))
        let totals = ResourceTotals(
            instances: 1 + spec.workers,
            vcpus: masterFlavor.vcpus + spec.workers * workerFlavor.vcpus,
            ramMB: masterFlavor.ramMB + spec.workers * workerFlavor.ramMB,
            diskGB: masterFlavor.diskGB + spec.workers * workerFlavor.diskGB,
            floatingIPs: 1, networks: 1, routers: 1, securityGroups: 1)
        return ClusterPlan(spec: spec.withoutSecrets(catalog: catalog), stackName: context.stackName, components: components,
                           ports: ports, totals: totals, uiLinks: uiLinks, yarn: yarn, spark: spark, memory: memory.budgets, template: template,
                           parameters: TemplateComposer.parameterValues(spec, components: names.count), installTimeoutSeconds: installTimeout,
                           masterScript: masterScript, workerScript: workerScript)
    }

    // MARK: - Checks

    private func inventoryProblems(_ spec: ClusterSpec, _ inventory: CloudInventory) -> [SpecProblem] {
        var problems: [SpecProblem] = []
        func check(_ path: String, _ value: String, _ kind: String, _ found: Bool, _ names: [String]) {
            guard !value.isEmpty, !found else { return }
            let hint = closestMatch(to: value, in: names).map { " (did you mean '\($0)'?)" } ?? ""
            problems.append(.init(path: path, found: value, problem: "is not \(kind) of this cloud" + hint,
                                  accepted: "one of: " + names.sorted().joined(separator: ", ")))
        }
        let images = inventory.images.map(\.name)
        let flavors = inventory.flavors.map(\.name)
        check("master.image", spec.master.image, "an image", inventory.image(spec.master.image) != nil, images)
        check("worker.image", spec.worker.image, "an image", inventory.image(spec.worker.image) != nil, images)
        check("master.flavor", spec.master.flavor, "a flavor", inventory.flavor(spec.master.flavor) != nil, flavors)
        check("worker.flavor", spec.worker.flavor, "a flavor", inventory.flavor(spec.worker.flavor) != nil, flavors)
        let external = inventory.networks.filter(\.isExternal).map(\.name)
        if let network = inventory.network(spec.externalNetwork), !network.isExternal {
            problems.append(.init(path: "externalNetwork", found: spec.externalNetwork, problem: "is not an external network",
                                  accepted: "one of: " + external.sorted().joined(separator: ", ")))
        } else {
            check("externalNetwork", spec.externalNetwork, "an external network",
                  inventory.network(spec.externalNetwork) != nil, external)
        }
        return problems
    }

    private func quotaProblems(_ spec: ClusterSpec, master: Flavor, worker: Flavor, quota: QuotaHeadroom) -> [SpecProblem] {
        var problems: [SpecProblem] = []
        func check(_ what: String, needed: Int, left: Int?) {
            guard let left, needed > left else { return }
            problems.append(.init(path: "workers", found: String(spec.workers),
                                  problem: "needs \(needed) \(what) but the project has \(left) left",
                                  accepted: "fewer or smaller nodes, or a larger quota"))
        }
        // Saturating: a huge worker count or flavor must give a quota problem, not an overflow trap.
        func total(_ first: Int, _ count: Int, _ each: Int) -> Int {
            let (product, o1) = count.multipliedReportingOverflow(by: each)
            let (sum, o2) = first.addingReportingOverflow(product)
            return o1 || o2 ? Int.max : sum
        }
        check("instances", needed: total(1, spec.workers, 1), left: quota.instances)
        check("vCPUs", needed: total(master.vcpus, spec.workers, worker.vcpus), left: quota.vcpus)
        check("MB of RAM", needed: total(master.ramMB, spec.workers, worker.ramMB), left: quota.ramMB)
        check("floating IPs", needed: 1, left: quota.floatingIPs)
        return problems
    }

    /// Defaults applied, values checked; secrets become argon2id hashes with the cluster's salt (a placeholder without
    /// one) and are left out of the values.
    private func effectiveProperties(of component: String, given: [String: String], salt: String?)
        -> (values: [String: String], secretHashes: [String: String], problems: [SpecProblem]) {
        guard let manifest = catalog[component]?.manifest else { return ([:], [:], []) }
        var values: [String: String] = [:]
        var hashes: [String: String] = [:]
        var problems: [SpecProblem] = []
        for key in given.keys.sorted() where manifest.properties[key] == nil {
            let known = manifest.properties.keys.sorted()
            let hint = closestMatch(to: key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            problems.append(.init(path: "components.\(component).\(key)", found: nil, problem: "is not a property of \(component)" + hint,
                                  accepted: known.isEmpty ? "no properties" : "one of: " + known.joined(separator: ", ")))
        }
        for (key, definition) in manifest.properties.sorted(by: { $0.key < $1.key }) {
            let path = "components.\(component).\(key)"
            guard let value = given[key] ?? definition.defaultValue else {
                if definition.isRequired {
                    problems.append(.init(path: path, found: nil,
                                          problem: "is required" + (definition.summary.isEmpty ? "" : " (\(definition.summary))"),
                                          accepted: "a value"))
                }
                continue
            }
            let shown: String? = definition.isSecret ? nil : value
            switch definition.type {
            case .integer where Int(value) == nil:
                problems.append(.init(path: path, found: shown, problem: "is not a whole number", accepted: "digits, e.g. 3"))
                continue
            case .boolean where !["true", "false"].contains(value):
                problems.append(.init(path: path, found: shown, problem: "is not a boolean", accepted: "true or false"))
                continue
            default:
                break
            }
            if let source = definition.pattern, let pattern = try? Pattern(validating: source), !pattern.matches(value) {
                problems.append(.init(path: path, found: shown, problem: "does not match the allowed pattern",
                                      accepted: "values matching \(source)" + (definition.summary.isEmpty ? "" : " (\(definition.summary))")))
                continue
            }
            if definition.isSecret {
                if !PropertyDefinition.secretPattern.matches(value) {
                    problems.append(.init(path: path, found: nil, problem: "is not an acceptable secret",
                                          accepted: "1–256 characters, none a control character or line separator"))
                    continue
                }
                hashes[ShellQuoting.identifier("DISCO", component, key, "HASH")] = salt.map { PasswordHash.jupyter(value, salt: Array($0.utf8)) } ?? PlanContext.secretHashPlaceholder
            } else {
                values[key] = value
            }
        }
        return (values, hashes, problems)
    }

    // MARK: - Ports and links

    private func plannedPorts(_ components: [String]) -> [PlannedPort] {
        var byPort: [String: PlannedPort] = [:]
        func add(_ definition: PortDefinition, _ component: String) {
            let key = "\(definition.port)/\(definition.protocol)"
            if var existing = byPort[key] {
                if !existing.components.contains(component) { existing.components.append(component) }
                if definition.exposure == .public { existing.exposure = .public }
                byPort[key] = existing
            } else {
                byPort[key] = PlannedPort(port: definition.port, protocol: definition.protocol, exposure: definition.exposure,
                                          components: [component], description: definition.description)
            }
        }
        add(PortDefinition(port: 22, exposure: .public, description: "SSH"), "base")
        for name in components {
            for port in catalog[name]!.manifest.ports { add(port, name) }
        }
        return byPort.values.sorted { ($0.port, $0.protocol) < ($1.port, $1.protocol) }
    }

    private func plannedUILinks(_ components: [String], ports: [PlannedPort]) -> [PlannedUILink] {
        var links: [PlannedUILink] = []
        for name in components {
            for (index, ui) in catalog[name]!.manifest.ui.enumerated() {
                let isPublic = ports.contains { $0.port == ui.port && $0.protocol == "tcp" && $0.exposure == .public }
                let key = "ui_\(ShellQuoting.functionSegment(name))_\(index)"
                links.append(PlannedUILink(component: name, name: ui.name, port: ui.port, path: ui.path, scheme: ui.scheme,
                                           isPublic: isPublic, outputKey: key))
            }
        }
        return links
    }
}

extension ClusterSpec {
    /// The spec with secret property values removed, as it may be stored and shown.
    public func withoutSecrets(catalog: ComponentCatalog) -> ClusterSpec {
        var copy = self
        for (component, properties) in components {
            guard let manifest = catalog[component]?.manifest else { continue }
            copy.components[component] = properties.filter { manifest.properties[$0.key]?.isSecret != true }
        }
        return copy
    }
}
