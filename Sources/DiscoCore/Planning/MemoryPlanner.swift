/// Gives each node one memory budget shared by the components placed on it: the OS keeps its part, fixed processes
/// get their size plus overhead, elastic ones (YARN containers, Flink TaskManagers, Storm worker slots) share the rest
/// equally, and a node that cannot hold every minimum is refused, naming node, flavor and need.
struct MemoryPlanner {
    struct Outcome {
        /// The master's budget, then the workers' (when there are workers).
        var budgets: [NodeMemoryBudget]
        /// `DISCO_MEM_<COMPONENT>_<ID>_MB` for every demand: its size on the node that runs it.
        var variables: [(name: String, megabytes: Int)]
        var problems: [SpecProblem]

        func megabytes(_ component: String, _ id: String) -> Int? {
            let name = ShellQuoting.identifier("DISCO_MEM", component, id, "MB")
            return variables.first { $0.name == name }?.megabytes
        }
    }

    /// What the OS keeps: 1/16 of the node, at least 512 MB.
    static func osReservedMB(ramMB: Int) -> Int { max(512, ramMB / 16) }

    /// A demand resolved against the component's property values: fixed size, or elastic.
    private struct Placed {
        var component: String
        var demand: MemoryDemand
        /// `nil` for an elastic demand left automatic.
        var fixedMB: Int?
    }

    static func plan(_ components: [ResolvedComponent], catalog: ComponentCatalog, workers: Int, master: Flavor,
                     worker: Flavor) -> Outcome {
        var placed: [Placed] = []
        for component in components {
            for demand in catalog[component.name]?.manifest.memory ?? [] {
                var fixed = demand.megabytes
                if let property = demand.property, let value = component.properties[property] {
                    let size = MemoryDemand.megabytes(value) ?? 0
                    fixed = size > 0 ? size : (demand.isElastic ? nil : fixed ?? 0)
                }
                if demand.isElastic && demand.property == nil { fixed = nil }
                placed.append(Placed(component: component.name, demand: demand, fixedMB: fixed))
            }
        }
        var budgets: [NodeMemoryBudget] = []
        var problems: [SpecProblem] = []
        var sizes: [String: Int] = [:]
        var nodes: [(name: String, flavor: Flavor, demands: [Placed])] = [
            ("master", master, placed.filter { $0.demand.runsOnMaster(workers: workers) }),
        ]
        if workers > 0 { nodes.append(("worker", worker, placed.filter { $0.demand.runsOnWorkers })) }
        for node in nodes {
            let reserved = osReservedMB(ramMB: node.flavor.ramMB)
            let fixedTotal = node.demands.reduce(0) { total, item in total + (item.fixedMB.map { $0 + item.demand.overheadMB } ?? 0) }
            let elastic = node.demands.filter { $0.fixedMB == nil }
            let rest = node.flavor.ramMB - reserved - fixedTotal
            let each = elastic.isEmpty ? 0 : max(0, rest) / elastic.count
            let need = reserved + fixedTotal + elastic.reduce(0) { $0 + $1.demand.minimumMB }
            if rest < 0 || elastic.contains(where: { each < $0.demand.minimumMB }) {
                let parts = ["OS \(reserved)"] + node.demands.map { item in
                    if let fixed = item.fixedMB { return "\(item.component) \(item.demand.process) \(fixed + item.demand.overheadMB)" }
                    return "\(item.component) \(item.demand.process) at least \(item.demand.minimumMB)"
                }
                problems.append(SpecProblem(
                    path: "\(node.name).flavor", found: node.flavor.name,
                    problem: "has \(node.flavor.ramMB) MB of RAM but the \(node.name)'s processes need \(need) MB (\(parts.joined(separator: ", ")))",
                    accepted: "a flavor with at least \(need) MB of RAM for the \(node.name), or fewer components on it"))
                continue
            }
            var shares: [NodeMemoryBudget.Share] = []
            for item in node.demands {
                let share = item.fixedMB.map { $0 + item.demand.overheadMB } ?? each
                shares.append(.init(component: item.component, process: item.demand.process, megabytes: share,
                                    isElastic: item.fixedMB == nil))
                let name = ShellQuoting.identifier("DISCO_MEM", item.component, item.demand.id, "MB")
                // Scripts get a process's size as the node that runs it has it: the workers', else the master's.
                if sizes[name] == nil || node.name == "worker" { sizes[name] = item.fixedMB ?? each }
            }
            budgets.append(NodeMemoryBudget(node: node.name, flavor: node.flavor.name, ramMB: node.flavor.ramMB,
                                            osReservedMB: reserved, shares: shares))
        }
        var variables: [(name: String, megabytes: Int)] = []
        for item in placed {
            let name = ShellQuoting.identifier("DISCO_MEM", item.component, item.demand.id, "MB")
            guard !variables.contains(where: { $0.name == name }) else { continue }
            variables.append((name, sizes[name] ?? item.fixedMB ?? item.demand.minimumMB))
        }
        return Outcome(budgets: budgets, variables: variables, problems: problems)
    }
}
