import DiscoCore
import DiscoOCCI
import Foundation

/// How clusters look in OCCI: the `disco` kind, the attributes a create accepts (the original names), and the
/// attributes a read returns. Passwords are read and dropped; they are never stored or rendered.
struct OCCIClusterMapping: Sendable {
    static let scheme = "http://schemas.cloudcomplab.ch/occi/sm#"
    static let actionScheme = "http://schemas.cloudcomplab.ch/occi/sm/action#"
    static let heat = "icclab.disco.components.heat."
    static let componentPrefix = "icclab.disco.components."
    static let inject = "icclab.disco.dependencies.inject"
    static let deployerPrefix = "icclab.disco.deployer."

    /// Create attributes: name → what it sets.
    static let heatAttributes: [(suffix: String, summary: String)] = [
        ("masterimage", "image of the master"), ("slaveimage", "image of the workers"),
        ("masterflavor", "flavor of the master"), ("slaveflavor", "flavor of the workers"),
        ("slavecount", "number of workers (can be changed later to scale)"),
        ("networkname", "name of the network created for the cluster"),
        ("externalnetworkname", "external network for the floating IP and router"),
    ]
    /// Attributes the original dashboards send that have no effect (kept for compatibility).
    static let ignoredHeatAttributes: Set<String> = ["mastername", "slavename", "sshkeypairname"]
    static let deployerAttributes: Set<String> = ["username", "password", "region", "type", "path", "auth_url", "tenant_name"]
    static let newAttributes: [(name: String, summary: String)] = [
        ("icclab.disco.name", "cluster name"), ("icclab.disco.ttl", "seconds until automatic deletion"),
        ("icclab.disco.tags", "comma-separated tags"),
        ("icclab.disco.allowed_sources", "comma-separated networks (CIDR) allowed to reach the public ports; default: the operator's"),
    ]
    /// Read-only attributes a GET returns.
    static let outputAttributes = [
        "occi.core.id", "occi.core.title", "mcn.service.state", "stackid", "stack_status", "stack_status_reason",
        "external_ip", "ssh_key_name", "ssh_public_key", "ssh_private_key", "runstate", "disco.state", "disco.state.reason",
        "disco.progress", "disco.created", "disco.expires", "disco.workers", "disco.components", "disco.status_page",
        "disco.health", "disco.health.reason", "disco.health.checked",
    ]

    /// Server-side defaults for attributes a client leaves out; an attribute without one is `{required}`.
    var defaults: SpecFallbacks

    /// `problem` with its path spelled as the OCCI attribute that set it (`master.image` →
    /// `icclab.disco.components.heat.masterimage`, `components.jupyter.password` →
    /// `icclab.disco.components.jupyter.password`).
    static func attributeProblem(_ problem: SpecProblem) -> SpecProblem {
        var mapped = problem
        let path = problem.path
        let fields: [(String, String)] = [
            ("master.image", heat + "masterimage"), ("master.flavor", heat + "masterflavor"),
            ("worker.image", heat + "slaveimage"), ("worker.flavor", heat + "slaveflavor"),
            ("workers", heat + "slavecount"), ("network", heat + "networkname"),
            ("externalNetwork", heat + "externalnetworkname"), ("name", "icclab.disco.name"), ("ttlSeconds", "icclab.disco.ttl"),
        ]
        if let attribute = fields.first(where: { $0.0 == path })?.1 {
            mapped.path = attribute
        } else if path.hasPrefix("components.") {
            mapped.path = componentPrefix + path.dropFirst("components.".count)
        } else if path == "components" {
            mapped.path = inject
        } else if path.hasPrefix("tags") {
            mapped.path = "icclab.disco.tags" + path.dropFirst("tags".count)
        } else if path.hasPrefix("allowedSources") {
            mapped.path = "icclab.disco.allowed_sources" + path.dropFirst("allowedSources".count)
        }
        return mapped
    }

    /// Workers of a create that names no `slavecount`.
    static let defaultWorkers = 1

    var kind: OCCICategory {
        var definitions: [OCCIAttributeDefinition] = [OCCIAttributeDefinition("occi.core.id", immutable: true),
                                                      OCCIAttributeDefinition("occi.core.title")]
        for (suffix, _) in Self.heatAttributes {
            let required = switch suffix {
            case "masterimage", "slaveimage": defaults.image == nil
            case "masterflavor", "slaveflavor": defaults.flavor == nil
            case "externalnetworkname": defaults.externalNetwork == nil
            default: false
            }
            definitions.append(OCCIAttributeDefinition(Self.heat + suffix, required: required, immutable: suffix != "slavecount"))
        }
        definitions.append(OCCIAttributeDefinition(Self.inject, immutable: true))
        for name in ["username", "password", "region"] {
            definitions.append(OCCIAttributeDefinition(Self.deployerPrefix + name, immutable: true))
        }
        for (name, _) in Self.newAttributes { definitions.append(OCCIAttributeDefinition(name, immutable: name != "icclab.disco.ttl")) }
        definitions.append(OCCIAttributeDefinition("action"))
        for name in Self.outputAttributes.dropFirst(2) { definitions.append(OCCIAttributeDefinition(name, immutable: true)) }
        return OCCICategory(scheme: Self.scheme, term: "disco", class: .kind, title: "DISCO: distributed computing clusters",
                            rel: ["http://schemas.ogf.org/occi/core#resource"], location: "/disco/", attributes: definitions,
                            actions: actions.map { $0.scheme + $0.term })
    }

    var actions: [OCCICategory] {
        [OCCICategory(scheme: Self.actionScheme, term: "suspend", class: .action, title: "Suspend the cluster's servers"),
         OCCICategory(scheme: Self.actionScheme, term: "resume", class: .action, title: "Resume a suspended cluster"),
         OCCICategory(scheme: Self.actionScheme, term: "check", class: .action,
                      title: "Check a ready cluster's health now")]
    }

    /// Every category of the query interface.
    var categories: [OCCICategory] {
        let core = "http://schemas.ogf.org/occi/core#"
        return [
            OCCICategory(scheme: core, term: "entity", class: .kind, title: "Entity", location: "/entity/",
                         attributes: [OCCIAttributeDefinition("occi.core.id", immutable: true), OCCIAttributeDefinition("occi.core.title")]),
            OCCICategory(scheme: core, term: "resource", class: .kind, title: "Resource", rel: [core + "entity"], location: "/resource/",
                         attributes: [OCCIAttributeDefinition("occi.core.summary")]),
            OCCICategory(scheme: core, term: "link", class: .kind, title: "Link", rel: [core + "entity"], location: "/link/",
                         attributes: [OCCIAttributeDefinition("occi.core.source", required: true),
                                      OCCIAttributeDefinition("occi.core.target", required: true)]),
            kind,
        ] + actions
    }

    // MARK: - Create

    /// Reads a create request's attributes into a spec; every problem is reported at once.
    func spec(from attributes: OCCIAttributes, catalog: ComponentCatalog) throws(APIError) -> ClusterSpec {
        var problems: [SpecProblem] = []
        var values: [String: String] = [:]
        for (name, value) in attributes { values[name] = Self.text(of: value) }
        func heat(_ suffix: String) -> String? {
            values[Self.heat + suffix].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }

        var components: [String: [String: String]] = [:]
        if let inject = values[Self.inject] {
            do {
                for entry in try InjectParser.parse(inject) { components[entry.name, default: [:]].merge(entry.properties) { $1 } }
            } catch {
                // The value is not quoted back: it can hold a component's password.
                problems.append(SpecProblem(path: Self.inject, found: nil, problem: error.message + " at character \(error.offset + 1)",
                                            accepted: "{'spark': '', 'hadoop': ''}, {'hadoop','spark'}, [\"spark\"] or spark,hadoop"))
            }
        }

        let knownHeat = Set(Self.heatAttributes.map(\.suffix))
        let offered = Set(catalog.names)
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix(Self.heat) {
                let suffix = String(name.dropFirst(Self.heat.count))
                if !knownHeat.contains(suffix) && !Self.ignoredHeatAttributes.contains(suffix) {
                    problems.append(unknown(name, among: Self.heatAttributes.map { Self.heat + $0.suffix }))
                }
            } else if name.hasPrefix(Self.componentPrefix) {
                let rest = name.dropFirst(Self.componentPrefix.count).split(separator: ".", maxSplits: 1).map(String.init)
                guard rest.count == 2, offered.contains(rest[0]) else {
                    problems.append(SpecProblem(path: name, found: nil, problem: "does not name a known component and property",
                                                accepted: "icclab.disco.components.<component>.<property> with a component of: "
                                                    + catalog.names.joined(separator: ", ")))
                    continue
                }
                guard components[rest[0]] != nil else {
                    problems.append(SpecProblem(path: name, found: nil, problem: "is set for a component that is not requested",
                                                accepted: "add '\(rest[0])' to \(Self.inject)"))
                    continue
                }
                components[rest[0]]?[rest[1]] = value
            } else if name.hasPrefix(Self.deployerPrefix) {
                // Credentials come from the token; the password is read and dropped.
                if !Self.deployerAttributes.contains(String(name.dropFirst(Self.deployerPrefix.count))) {
                    problems.append(unknown(name, among: Self.deployerAttributes.sorted().map { Self.deployerPrefix + $0 }))
                }
            } else if name == Self.inject || Self.newAttributes.contains(where: { $0.name == name }) || name == "occi.core.title"
                        || name == "occi.core.id" || name == "occi.core.summary" {
                continue
            } else if name.hasPrefix("icclab.disco.") {
                problems.append(unknown(name, among: Self.heatAttributes.map { Self.heat + $0.suffix } + [Self.inject]
                                        + Self.newAttributes.map(\.name)))
            } else {
                problems.append(SpecProblem(path: name, found: nil, problem: "is not an attribute of the disco kind",
                                            accepted: "the attributes listed by GET /-/"))
            }
        }

        var workers = Self.defaultWorkers
        if let text = heat("slavecount") {
            if let parsed = Int(text) { workers = parsed } else {
                problems.append(SpecProblem(path: Self.heat + "slavecount", found: text, problem: "is not a whole number",
                                            accepted: "0…1000"))
            }
        }
        var ttl: Int?
        if let text = values["icclab.disco.ttl"] {
            if let parsed = Int(text) { ttl = parsed } else {
                problems.append(SpecProblem(path: "icclab.disco.ttl", found: text, problem: "is not a whole number of seconds",
                                            accepted: "e.g. 7200 for two hours"))
            }
        }
        func required(_ suffix: String, _ fallback: String?) -> String {
            if let value = heat(suffix) ?? fallback { return value }
            problems.append(SpecProblem(path: Self.heat + suffix, found: nil, problem: "is missing", accepted: "an id or name"))
            return ""
        }
        let masterImage = required("masterimage", defaults.image)
        let masterFlavor = required("masterflavor", defaults.flavor)
        let spec = ClusterSpec(
            name: values["icclab.disco.name"] ?? values["occi.core.title"] ?? "disco-\(UUID().uuidString.prefix(8).lowercased())",
            master: NodeSpec(image: masterImage, flavor: masterFlavor),
            worker: NodeSpec(image: heat("slaveimage") ?? (heat("masterimage") ?? defaults.image) ?? masterImage,
                             flavor: heat("slaveflavor") ?? (heat("masterflavor") ?? defaults.flavor) ?? masterFlavor),
            workers: workers, network: heat("networkname"),
            externalNetwork: required("externalnetworkname", defaults.externalNetwork),
            components: components, ttlSeconds: ttl,
            tags: values["icclab.disco.tags"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [],
            allowedSources: values["icclab.disco.allowed_sources"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        if !problems.isEmpty {
            throw APIError.badRequest(APIError.invalidRequest(problems), problems: problems)
        }
        return spec
    }

    /// An attribute value as text: strings as they are, whole numbers without a fraction, booleans as words.
    static func text(of value: OCCIAttributeValue) -> String {
        switch value {
        case let .string(text): text
        case let .number(number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case let .bool(flag): flag ? "true" : "false"
        }
    }

    private func unknown(_ name: String, among known: [String]) -> SpecProblem {
        let hint = closestMatch(to: name, in: known).map { "did you mean '\($0)'? " } ?? ""
        return SpecProblem(path: name, found: nil, problem: "is not a known attribute", accepted: hint + "see GET /-/")
    }

    // MARK: - Read

    /// A cluster as an OCCI entity; the private key and generated passwords are included only for single-cluster reads
    /// (of the owner's project: other projects do not find the cluster).
    func entity(_ record: ClusterRecord, privateKey: String?, passwords: [String: String] = [:]) -> OCCIEntity {
        var a = OCCIAttributes()
        func set(_ name: String, _ value: String) { a[name] = .string(value) }
        set("occi.core.id", record.id)
        set("occi.core.title", record.spec.name)
        set(Self.heat + "masterimage", record.spec.master.image)
        set(Self.heat + "masterflavor", record.spec.master.flavor)
        set(Self.heat + "slaveimage", record.spec.worker.image)
        set(Self.heat + "slaveflavor", record.spec.worker.flavor)
        set(Self.heat + "slavecount", String(record.spec.workers))
        set(Self.heat + "networkname", record.spec.networkName)
        set(Self.heat + "externalnetworkname", record.spec.externalNetwork)
        let requested = record.components.filter { $0.reason == .requested }.map(\.name)
        set(Self.inject, "{" + requested.map { "'\($0)': ''" }.joined(separator: ", ") + "}")
        for component in record.components {
            for (key, value) in component.properties.sorted(by: { $0.key < $1.key }) {
                set(Self.componentPrefix + component.name + "." + key, value)
            }
        }
        for (name, password) in passwords.sorted(by: { $0.key < $1.key }) { set(Self.componentPrefix + name, password) }
        set("mcn.service.state", Self.hurtlePhase(record.state))
        set("stackid", record.stackID ?? "")
        set("stack_status", record.stackStatus)
        set("stack_status_reason", record.stackStatusReason)
        set("external_ip", record.outputs["external_ip"] ?? "none")
        set("ssh_key_name", record.outputs["ssh_key_name"] ?? "\(record.stackName)-key")
        set("ssh_public_key", record.outputs["ssh_public_key"] ?? "")
        if let privateKey {
            // The key as it is: the renderings escape its newlines (text: `\n` inside the quoted string, as the original
            // sent it; JSON: `\n`), so one round of the format's own unescaping gives the PEM back.
            set("ssh_private_key", privateKey)
        }
        set("runstate", record.state == .suspended || record.state == .suspending ? "suspended" : "running")
        set("disco.state", record.state.rawValue)
        set("disco.state.reason", record.stateReason)
        a["disco.progress"] = .number(Double(record.progressPercent))
        for component in record.components {
            set("disco.progress.\(component.name)", record.progress[component.name]?.state.rawValue ?? "pending")
        }
        set("disco.components", record.components.map(\.name).joined(separator: ","))
        a["disco.workers"] = .number(Double(record.spec.workers))
        set("disco.created", record.createdAt.formatted(.iso8601))
        if let expires = record.expiresAt { set("disco.expires", expires.formatted(.iso8601)) }
        if let page = record.outputs["status_page"] { set("disco.status_page", page) }
        for link in record.uiLinks {
            guard let url = record.outputs[link.outputKey] else { continue }
            set("disco.ui.\(link.component).\(Self.slug(link.name))", link.isPublic ? url : Self.throughTunnel(url, link: link, record: record))
        }
        if let last = record.events.last { set("disco.last_event", last.message) }
        if let health = record.health {
            set("disco.health", health.status.rawValue)
            set("disco.health.reason", health.reasonText)
            set("disco.health.checked", health.checkedAt.formatted(.iso8601))
        }
        // The create's steps, seconds after the request: disco.timeline.keys_made, disco.timeline.component_signalled.hadoop.
        for mark in record.timeline ?? [] {
            a["disco.timeline.\(mark.phase.rawValue)" + (mark.component.map { ".\($0)" } ?? "")] = .number(mark.seconds)
        }
        let actions: [OCCICategory] = switch record.state {
        case .ready: [actions[0], actions[2]]
        case .suspended: [actions[1]]
        default: []
        }
        return OCCIEntity(kind: kind, attributes: a, actions: actions, location: "/disco/\(record.id)")
    }

    /// An internal UI (its port closed to the world) as the address it gets on the user's machine and the tunnel that
    /// makes it: `localhost:8088/cluster through an SSH tunnel: ssh -N -L 8088:localhost:8088 ubuntu@203.0.113.11`.
    /// No scheme: it is not a link to anything that answers before the tunnel runs.
    static func throughTunnel(_ url: String, link: PlannedUILink, record: ClusterRecord) -> String {
        let components = URLComponents(string: url)
        let path = (components?.percentEncodedPath ?? "") + (components?.percentEncodedQuery.map { "?" + $0 } ?? "")
        let master = record.outputs["external_ip"].map { (record.spec.master.loginUser.map { $0 + "@" } ?? "") + $0 } ?? "<external_ip>"
        return "localhost:\(link.port)\(path.isEmpty ? "/" : path) through an SSH tunnel: ssh -N -L \(link.port):localhost:\(link.port) \(master)"
    }

    /// `Spark history` → `spark_history`.
    static func slug(_ name: String) -> String {
        String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The hurtle phase the original reported in `mcn.service.state`.
    static func hurtlePhase(_ state: ClusterState) -> String {
        switch state {
        case .accepted: "initialise"
        case .provisioning, .installing: "deploy"
        case .ready: "provision"
        case .scaling, .suspending, .suspended, .resuming: "update"
        case .deleting, .deleted: "destroy"
        case .failed: "failed"
        }
    }
}
