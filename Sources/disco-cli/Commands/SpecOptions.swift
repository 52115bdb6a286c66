import DiscoCore
import Foundation

/// A cluster spec given by flags and/or a JSON spec file.
struct SpecOptions: Sendable, Equatable {
    struct Property: Sendable, Equatable {
        var component: String
        var key: String
        var value: String
    }

    var file: String?
    var name: String?
    var image: String?
    var masterImage: String?
    var workerImage: String?
    var flavor: String?
    var masterFlavor: String?
    var workerFlavor: String?
    var workers: Int?
    var network: String?
    var externalNetwork: String?
    var components: [String] = []
    var properties: [Property] = []
    var ttlSeconds: Int?
    var tags: [String] = []
    /// Flavors defined on the command line (`--flavor NAME:VCPUS:RAM_MB:DISK_GB`), for offline plans.
    var flavorDefinitions: [Flavor] = []

    /// Whether anything beyond the defaults was given (a bare `create` in the shell is guided).
    var isEmpty: Bool { self == SpecOptions() }

    /// The spec: the file's (if any), then each flag on top, then defaults for what is still missing.
    func makeSpec(fileContents: String?) throws(SpecBuildError) -> ClusterSpec {
        var spec: ClusterSpec
        if let fileContents {
            do {
                spec = try JSONInput.decode(ClusterSpec.self, from: Data(fileContents.utf8))
            } catch {
                throw SpecBuildError("\(file ?? "spec file"): not a cluster spec: \(error)")
            }
        } else {
            guard name != nil else { throw SpecBuildError("a cluster needs a name: give <name> or -f <spec.json>", isUsage: true) }
            let node = NodeSpec(image: SpecDefaults.image, flavor: SpecDefaults.flavor)
            spec = ClusterSpec(name: "", master: node, worker: node, workers: SpecDefaults.workers,
                               externalNetwork: SpecDefaults.externalNetwork)
        }
        if let name { spec.name = name }
        if let image { spec.master.image = image; spec.worker.image = image }
        if let masterImage { spec.master.image = masterImage }
        if let workerImage { spec.worker.image = workerImage }
        if let flavor { spec.master.flavor = flavor; spec.worker.flavor = flavor }
        if let masterFlavor { spec.master.flavor = masterFlavor }
        if let workerFlavor { spec.worker.flavor = workerFlavor }
        if let workers { spec.workers = workers }
        if let network { spec.network = network }
        if let externalNetwork { spec.externalNetwork = externalNetwork }
        for component in components where spec.components[component] == nil { spec.components[component] = [:] }
        for property in properties { spec.components[property.component, default: [:]][property.key] = property.value }
        if let ttlSeconds { spec.ttlSeconds = ttlSeconds }
        if !tags.isEmpty { spec.tags += tags }
        return spec
    }
}

/// A spec that could not be put together.
struct SpecBuildError: Error, CustomStringConvertible {
    var description: String
    var isUsage = false
    init(_ description: String, isUsage: Bool = false) {
        self.description = description
        self.isUsage = isUsage
    }
}
