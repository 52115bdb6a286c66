/// Composes the bash install script of a node: variables (validated, single-quoted), the shared prelude, every
/// component's fragments wrapped as functions, readiness checks, and `disco_main`.
///
/// Two words are left for Heat to fill in: `__DISCO_MASTER_IP__` (the master's fixed IP) and
/// `__DISCO_WC_SIGNAL__` (the wait condition handle's `signal`: credentials the scripts mint signal tokens with).
/// Workers' scripts carry `%index%`, which the resource group replaces with the worker's index.
struct ScriptComposer: Sendable {
    var catalog: ComponentCatalog
    var options: PlanOptions

    struct Input {
        var spec: ClusterSpec
        var components: [ResolvedComponent]
        var secretHashes: [String: String]
        var master: Flavor
        var worker: Flavor
        var yarn: YarnSizing?
        var spark: SparkSizing?
        /// `DISCO_MEM_<COMPONENT>_<ID>_MB` from the node budgets.
        var memory: [(name: String, megabytes: Int)]
    }

    static let masterIPToken = "__DISCO_MASTER_IP__"
    static let signalToken = "__DISCO_WC_SIGNAL__"
    static let indexToken = "%index%"

    func compose(_ input: Input, role: NodeRole) -> String {
        let isMaster = role == .master
        var out = "#!/bin/bash\n"
        out += "# DISCO install script: cluster \(input.spec.name), \(isMaster ? "master" : "worker").\n"
        out += "set -Eeuo pipefail\n\n"
        var variables: [(String, String)] = [
            ("DISCO_CLUSTER", input.spec.name),
            ("DISCO_ROLE", isMaster ? "master" : "worker"),
            ("DISCO_MASTER_IP", Self.masterIPToken),
            ("DISCO_MASTER_NAME", "\(input.spec.name.lowercased())-master"),
            ("DISCO_NODE_INDEX", isMaster ? "0" : Self.indexToken),
            ("DISCO_WORKER_COUNT", String(input.spec.workers)),
            ("DISCO_CLUSTER_CIDR", options.clusterCIDR),
            ("DISCO_MIRROR", options.mirror),
            ("DISCO_CHECKSUM_BASE", options.checksumBase),
            ("DISCO_COMPONENTS", input.components.map(\.name).joined(separator: " ")),
            ("DISCO_MASTER_RAM_MB", String(input.master.ramMB)),
            ("DISCO_MASTER_VCPUS", String(input.master.vcpus)),
            ("DISCO_WORKER_RAM_MB", String(input.worker.ramMB)),
            ("DISCO_WORKER_VCPUS", String(input.worker.vcpus)),
        ]
        if let yarn = input.yarn {
            variables += [
                ("DISCO_YARN_NODE_MEMORY_MB", String(yarn.nodeMemoryMB)),
                ("DISCO_YARN_CONTAINER_MB", String(yarn.containerMB)),
                ("DISCO_YARN_CONTAINERS", String(yarn.containers)),
                ("DISCO_MAPREDUCE_REDUCE_MB", String(yarn.reduceMB)),
                ("DISCO_MAPREDUCE_MAP_OPTS", yarn.mapJavaOpts),
                ("DISCO_MAPREDUCE_REDUCE_OPTS", yarn.reduceJavaOpts),
                ("DISCO_YARN_AM_MB", String(yarn.appMasterMB)),
                ("DISCO_YARN_AM_OPTS", yarn.appMasterJavaOpts),
                ("DISCO_YARN_VCORES", String(yarn.vcores)),
            ]
        }
        variables += input.memory.map { ($0.name, String($0.megabytes)) }
        if let spark = input.spark {
            variables += [
                ("DISCO_SPARK_AM_HEAP_MB", String(spark.appMasterHeapMB)),
                ("DISCO_SPARK_EXECUTOR_HEAP_MB", String(spark.executorHeapMB)),
                ("DISCO_SPARK_EXECUTOR_CORES_SIZED", String(spark.executorCores)),
                ("DISCO_SPARK_EXECUTOR_INSTANCES", String(spark.executorInstances)),
            ]
        }
        for component in input.components {
            let manifest = catalog[component.name]!.manifest
            for key in component.properties.keys.sorted() {
                variables.append((ShellQuoting.identifier("DISCO", component.name, key), component.properties[key]!))
            }
            for download in manifest.downloads {
                variables.append((ShellQuoting.identifier("DISCO_DL", download.id, "PATH"), download.path))
                variables.append((ShellQuoting.identifier("DISCO_DL", download.id, "SHA512"), download.sha512 ?? ""))
            }
        }
        variables += input.secretHashes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // Every value is single-quoted (a literal $ in a hash too); the variables are read by the prelude and fragments.
        out += "# shellcheck disable=SC2034,SC2016\n{\n"
        for (name, value) in variables {
            out += "  \(name)=\(ShellQuoting.quote(value))\n"
        }
        out += "}\n\n"
        out += ShellComments.stripped(RoleSections.kept(for: isMaster ? .master : .workers, in: catalog.prelude))
        if !out.hasSuffix("\n") { out += "\n" }

        for component in input.components {
            let loaded = catalog[component.name]!
            let segment = ShellQuoting.functionSegment(component.name)
            for fragmentRole in [NodeRole.all, isMaster ? .master : .workers] {
                guard let body = loaded.fragments[fragmentRole].map(ShellComments.stripped) else { continue }
                out += "\ndisco_\(segment)_\(fragmentRole.rawValue)() {\n"
                out += body
                if !body.hasSuffix("\n") { out += "\n" }
                out += "}\n"
            }
            if isMaster, let readiness = loaded.manifest.readiness {
                out += "\ndisco_\(segment)_ready() {\n"
                if let url = readiness.url {
                    out += "  disco_health_add probes \(ShellQuoting.quote("\(component.name) url \(url)"))\n"
                    out += "  disco_wait_url \(ShellQuoting.quote(url)) \(readiness.timeoutSeconds)\n"
                } else if let port = readiness.port {
                    out += "  disco_health_add probes \(ShellQuoting.quote("\(component.name) port \(port)"))\n"
                    out += "  disco_wait_port \(port) \(readiness.timeoutSeconds)\n"
                }
                out += "}\n"
            }
        }
        out += "\ndisco_main\n"
        return out
    }
}
