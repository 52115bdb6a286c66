/// Resolves requested components against a catalog: adds dependencies, checks conflicts and orders them.
public enum ComponentResolver {
    /// The install order for `requested`: implicit components first, then a topological order in which every
    /// component follows its requirements, ties broken by name.
    ///
    /// - Throws: ``SpecValidationError`` listing unknown components (with the closest name), dependency cycles
    ///   (with the path) and conflicts.
    public static func resolve(_ requested: [String], in catalog: ComponentCatalog) throws(SpecValidationError) -> [ResolvedComponent] {
        try resolve(requested, manifests: catalog.names.map { catalog[$0]!.manifest })
    }

    /// ``resolve(_:in:)`` over the manifests alone, as a client has them from the server's catalog.
    public static func resolve(_ requested: [String], manifests: [ComponentManifest]) throws(SpecValidationError) -> [ResolvedComponent] {
        let catalog = Dictionary(manifests.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = catalog.keys.sorted()
        var problems: [SpecProblem] = []
        let requestedSet = Set(requested)
        for name in requestedSet.sorted() where catalog[name] == nil {
            let offered = names.filter { !catalog[$0]!.isImplicit }
            let hint = closestMatch(to: name, in: offered).map { " (did you mean '\($0)'?)" } ?? ""
            problems.append(.init(path: "components.\(name)", found: nil, problem: "is not a known component" + hint,
                                  accepted: "one of: " + offered.joined(separator: ", ")))
        }
        if !problems.isEmpty { throw SpecValidationError(problems: problems) }

        // Collect the closure, remembering who required what, and detect cycles with their path.
        var requiredBy: [String: Set<String>] = [:]
        var state: [String: VisitState] = [:]
        var cycle: [String]?
        func visit(_ name: String, path: [String]) {
            guard cycle == nil else { return }
            switch state[name] {
            case .done: return
            case .visiting:
                let start = path.firstIndex(of: name) ?? 0
                cycle = Array(path[start...]) + [name]
                return
            case nil:
                state[name] = .visiting
                for dependency in catalog[name]!.requires.sorted() {
                    requiredBy[dependency, default: []].insert(name)
                    visit(dependency, path: path + [name])
                }
                state[name] = .done
            }
        }
        let implicitNames = names.filter { catalog[$0]!.isImplicit }
        for name in implicitNames + requestedSet.sorted() { visit(name, path: []) }
        if let cycle {
            throw SpecValidationError(problems: [.init(
                path: "components", found: nil, problem: "have a dependency cycle: " + cycle.joined(separator: " → "),
                accepted: "a catalog whose requirements form no cycle (fix the components' 'requires')")])
        }
        let all = Set(state.keys)

        for (first, second) in conflicts(among: all, catalog) {
            problems.append(.init(path: "components.\(first)", found: nil, problem: "conflicts with '\(second)'",
                                  accepted: "only one of '\(first)' and '\(second)'"))
        }
        if !problems.isEmpty { throw SpecValidationError(problems: problems) }

        // Kahn's algorithm; implicit components come first, then alphabetical among the ready ones.
        let implicit = Set(implicitNames)
        var remaining: [String: Set<String>] = [:]
        for name in all {
            var needs = Set(catalog[name]!.requires)
            if !implicit.contains(name) { needs.formUnion(implicit) }
            remaining[name] = needs.intersection(all)
        }
        var order: [String] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.keys
            let next = ready.min { (implicit.contains($0) ? 0 : 1, $0) < (implicit.contains($1) ? 0 : 1, $1) }!
            order.append(next)
            remaining[next] = nil
            for key in remaining.keys { remaining[key]!.remove(next) }
        }

        return order.map { name in
            let reason: ResolvedComponent.Reason =
                requestedSet.contains(name) ? .requested
                : implicit.contains(name) ? .implicit
                : .requiredBy(requiredBy[name, default: []].sorted())
            return ResolvedComponent(name: name, version: catalog[name]!.version, reason: reason)
        }
    }

    /// The pairs among `names` that conflict (either one's manifest saying so), each in name order, sorted.
    public static func conflicts(among names: some Sequence<String>, manifests: [ComponentManifest]) -> [(String, String)] {
        conflicts(among: Set(names), Dictionary(manifests.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    private static func conflicts(among names: Set<String>, _ catalog: [String: ComponentManifest]) -> [(String, String)] {
        var pairs = Set<[String]>()
        for name in names {
            for other in catalog[name]?.conflicts ?? [] where names.contains(other) {
                pairs.insert([name, other].sorted())
            }
        }
        return pairs.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }.map { ($0[0], $0[1]) }
    }

    private enum VisitState { case visiting, done }
}
