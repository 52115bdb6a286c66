import Foundation

/// What a user asks for: one master, N workers, and the frameworks to install.
///
/// ```swift
/// let spec = ClusterSpec(name: "analytics",
///                        master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
///                        worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
///                        workers: 3, externalNetwork: "public",
///                        components: ["spark": [:], "jupyter": ["password": "s3cret-pass"]])
/// try spec.validate()
/// ```
public struct ClusterSpec: Sendable, Hashable, Codable {
    /// A label chosen by the user; also used in resource names.
    public var name: String
    public var master: NodeSpec
    public var worker: NodeSpec
    /// Number of worker nodes.
    public var workers: Int
    /// Name of the network created for the cluster; defaults to `<name>-net`.
    public var network: String?
    /// The external network: floating IP pool and router gateway.
    public var externalNetwork: String
    /// Requested components and their properties; dependencies are added by the planner.
    public var components: [String: [String: String]]
    /// Seconds after which the cluster is deleted automatically.
    public var ttlSeconds: Int?
    /// Free-form labels, also put on the Heat stack.
    public var tags: [String]
    /// The networks (CIDR) allowed to reach the cluster's public ports and ping it; `nil`: the operator's
    /// `[disco] allowed_sources` (``PlanOptions/allowedSources``).
    public var allowedSources: [String]?

    public init(name: String, master: NodeSpec, worker: NodeSpec, workers: Int, network: String? = nil,
                externalNetwork: String, components: [String: [String: String]] = [:], ttlSeconds: Int? = nil,
                tags: [String] = [], allowedSources: [String]? = nil) {
        self.name = name
        self.master = master
        self.worker = worker
        self.workers = workers
        self.network = network
        self.externalNetwork = externalNetwork
        self.components = components
        self.ttlSeconds = ttlSeconds
        self.tags = tags
        self.allowedSources = allowedSources
    }

    /// The network name actually used.
    public var networkName: String { network ?? "\(name)-net" }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, master, worker, workers, network, externalNetwork, components, ttlSeconds, tags, allowedSources
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        master = try c.decode(NodeSpec.self, forKey: .master)
        // The workers are like the master in what they leave out.
        if c.contains(.worker), try !c.decodeNil(forKey: .worker) {
            worker = try NodeSpec(from: try c.superDecoder(forKey: .worker), base: master)
        } else {
            worker = master
        }
        workers = try c.decode(Int.self, forKey: .workers)
        network = try c.decodeIfPresent(String.self, forKey: .network)
        externalNetwork = try c.decode(String.self, forKey: .externalNetwork, fallback: decoder.specFallbacks?.externalNetwork)
        components = try c.decodeIfPresent([String: [String: String]].self, forKey: .components) ?? [:]
        ttlSeconds = try c.decodeIfPresent(Int.self, forKey: .ttlSeconds)
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        allowedSources = try c.decodeIfPresent([String].self, forKey: .allowedSources)
    }
}

extension ClusterSpec {
    /// Every problem of the spec at once; empty when it is valid.
    public func problems(limits: SpecLimits = .standard) -> [SpecProblem] {
        var problems: [SpecProblem] = []
        if !Self.namePattern.matches(name) {
            problems.append(.init(path: "name", found: name, problem: "is not a valid cluster name",
                                  accepted: "1–\(Self.maxNameLength) characters: letters, digits and '-', starting with a letter"))
        }
        for (path, value) in [("master.image", master.image), ("master.flavor", master.flavor),
                              ("worker.image", worker.image), ("worker.flavor", worker.flavor),
                              ("externalNetwork", externalNetwork)] {
            if value.isEmpty {
                problems.append(.init(path: path, found: nil, problem: "is missing", accepted: "a name or id"))
            } else if !Self.referencePattern.matches(value) {
                problems.append(.init(path: path, found: value, problem: "is not a valid name or id",
                                      accepted: "1–255 printable characters without quotes, '$', '`' or '\\'"))
            }
        }
        if workers < 0 || workers > limits.maxWorkers {
            problems.append(.init(path: "workers", found: String(workers), problem: "is not allowed",
                                  accepted: "0…\(limits.maxWorkers)"))
        }
        if let network, !Self.networkPattern.matches(network) {
            problems.append(.init(path: "network", found: network, problem: "is not a valid network name",
                                  accepted: "1–63 characters: letters, digits, '.', '_' and '-', starting with a letter or digit"))
        }
        if let ttlSeconds, ttlSeconds < limits.minTTLSeconds || ttlSeconds > limits.maxTTLSeconds {
            problems.append(.init(path: "ttlSeconds", found: String(ttlSeconds), problem: "is out of range",
                                  accepted: "\(limits.minTTLSeconds)…\(limits.maxTTLSeconds) seconds"))
        }
        if tags.count > limits.maxTags {
            problems.append(.init(path: "tags", found: String(tags.count), problem: "are too many",
                                  accepted: "at most \(limits.maxTags) tags"))
        }
        for (index, tag) in tags.enumerated() where !Self.tagPattern.matches(tag) {
            problems.append(.init(path: "tags[\(index)]", found: tag, problem: "is not a valid tag",
                                  accepted: "1–64 characters: letters, digits, '.', '_', ':', '=' and '-'"))
        }
        if let allowedSources {
            if allowedSources.isEmpty || allowedSources.count > Self.maxAllowedSources {
                problems.append(.init(path: "allowedSources", found: String(allowedSources.count), problem: "is not a number of networks allowed",
                                      accepted: "1–\(Self.maxAllowedSources) networks; leave it out for the operator's default"))
            }
            for (index, source) in allowedSources.prefix(Self.maxAllowedSources).enumerated() {
                if case let .failure(problem) = IPNetwork.parse(source) {
                    problems.append(.init(path: "allowedSources[\(index)]", found: String(source.prefix(64)), problem: problem.description,
                                          accepted: "an IPv4 or IPv6 network in CIDR notation, e.g. 203.0.113.0/24, 2001:db8::/32 or 0.0.0.0/0"))
                }
            }
        }
        for component in components.keys.sorted() where !Self.componentNamePattern.matches(component) {
            problems.append(.init(path: "components.\(component)", found: component, problem: "is not a valid component name",
                                  accepted: "lower-case letters, digits and '-'"))
        }
        return problems
    }

    /// Throws ``SpecValidationError`` listing every problem, if there are any.
    public func validate(limits: SpecLimits = .standard) throws(SpecValidationError) {
        let problems = problems(limits: limits)
        if !problems.isEmpty { throw SpecValidationError(problems: problems) }
    }

    /// The most networks ``allowedSources`` may list.
    public static let maxAllowedSources = 20
    /// The longest cluster name.
    public static let maxNameLength = 48
    /// What a cluster name looks like (also in the OpenAPI document, which the dashboard checks names against).
    public static let namePattern = Pattern("^[A-Za-z][A-Za-z0-9-]{0,\(maxNameLength - 1)}$")
    package static let referencePattern = Pattern("^[^\"'`$\\\\\\x00-\\x1f\\x7f]{1,255}$")
    package static let networkPattern = Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
    package static let tagPattern = Pattern("^[A-Za-z0-9._:=-]{1,64}$")
    package static let componentNamePattern = Pattern("^[a-z][a-z0-9-]{0,31}$")
}
