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
    /// `--allow-from`: networks allowed to reach the public ports.
    var allowedSources: [String] = []
    /// Flavors defined on the command line (`--flavor NAME:VCPUS:RAM_MB:DISK_GB`), for offline plans.
    var flavorDefinitions: [Flavor] = []

    /// Whether anything beyond the defaults was given (a bare `create` in the shell is guided).
    var isEmpty: Bool { self == SpecOptions() }

    /// The request: the file's spec (if any), then each flag on top; what neither gives is left to the server
    /// (``SpecRequest``), with ``SpecDefaults`` in the spec for offline use.
    func makeRequest(fileContents: String?) throws(SpecBuildError) -> SpecRequest {
        var request: SpecRequest
        if let fileContents {
            do {
                let spec = try JSONInput.decode(ClusterSpec.self, from: Data(fileContents.utf8), fallbacks: .builtIn)
                request = SpecRequest(spec, leftOut: Self.fieldsLeftOut(by: Data(fileContents.utf8)))
            } catch {
                throw SpecBuildError("\(file ?? "spec file"): not a cluster spec: \(error)")
            }
        } else {
            guard name != nil else { throw SpecBuildError("a cluster needs a name: give <name> or -f <spec.json>", isUsage: true) }
            let node = NodeSpec(image: SpecDefaults.image, flavor: SpecDefaults.flavor)
            request = SpecRequest(ClusterSpec(name: "", master: node, worker: node, workers: SpecDefaults.workers,
                                              externalNetwork: SpecDefaults.externalNetwork),
                                  leftOut: Set(SpecRequest.Field.allCases))
        }
        func set<T>(_ value: T?, _ path: WritableKeyPath<ClusterSpec, T>, _ field: SpecRequest.Field) {
            guard let value else { return }
            request.spec[keyPath: path] = value
            request.leftOut.remove(field)
        }
        if let name { request.spec.name = name }
        set(image, \.master.image, .masterImage)
        set(image, \.worker.image, .workerImage)
        set(masterImage, \.master.image, .masterImage)
        set(workerImage, \.worker.image, .workerImage)
        set(flavor, \.master.flavor, .masterFlavor)
        set(flavor, \.worker.flavor, .workerFlavor)
        set(masterFlavor, \.master.flavor, .masterFlavor)
        set(workerFlavor, \.worker.flavor, .workerFlavor)
        set(externalNetwork, \.externalNetwork, .externalNetwork)
        // A worker field left out is the master's, as the server has it.
        if request.leftOut.contains(.workerImage) { request.spec.worker.image = request.spec.master.image }
        if request.leftOut.contains(.workerFlavor) { request.spec.worker.flavor = request.spec.master.flavor }
        if let workers { request.spec.workers = workers }
        if let network { request.spec.network = network }
        for component in components where request.spec.components[component] == nil { request.spec.components[component] = [:] }
        for property in properties { request.spec.components[property.component, default: [:]][property.key] = property.value }
        if let ttlSeconds { request.spec.ttlSeconds = ttlSeconds }
        if !tags.isEmpty { request.spec.tags += tags }
        if !allowedSources.isEmpty { request.spec.allowedSources = allowedSources }
        return request
    }

    /// The fields a spec file leaves out (it decoded, so it is a JSON object).
    private static func fieldsLeftOut(by data: Data) -> Set<SpecRequest.Field> {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [] }
        let master = object["master"] as? [String: Any] ?? [:]
        let worker = object["worker"] as? [String: Any] ?? [:]
        var leftOut: Set<SpecRequest.Field> = []
        if master["image"] == nil { leftOut.insert(.masterImage) }
        if master["flavor"] == nil { leftOut.insert(.masterFlavor) }
        if worker["image"] == nil { leftOut.insert(.workerImage) }
        if worker["flavor"] == nil { leftOut.insert(.workerFlavor) }
        if object["externalNetwork"] == nil { leftOut.insert(.externalNetwork) }
        return leftOut
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
