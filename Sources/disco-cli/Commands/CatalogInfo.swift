import DiscoCore
import Foundation

/// Component manifests by name, with what the CLI needs of them (dependencies, required properties).
struct CatalogInfo: Sendable {
    var manifests: [String: ComponentManifest]

    init(_ manifests: [ComponentManifest]) {
        self.manifests = Dictionary(manifests.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Components a user may ask for (not the implicit ones), by name.
    var offered: [String] { manifests.values.filter { !$0.isImplicit }.map(\.name).sorted() }

    /// What `name` needs, directly or not, nearest first (e.g. zeppelin → spark, hadoop), as the planner resolves it.
    func dependencies(of name: String) -> [String] {
        let resolved = (try? ComponentResolver.resolve([name], manifests: Array(manifests.values))) ?? []
        return resolved.reversed().compactMap { component in
            guard case .requiredBy = component.reason else { return nil }
            return component.name
        }
    }

    /// The requested components and everything they need.
    func closure(_ requested: [String]) -> [String] {
        var all: [String] = []
        for name in requested.sorted() {
            for item in [name] + dependencies(of: name) where !all.contains(item) { all.append(item) }
        }
        return all
    }

    /// Pairs of chosen components that conflict.
    func conflicts(_ names: [String]) -> [(String, String)] {
        ComponentResolver.conflicts(among: names, manifests: Array(manifests.values))
    }
}
