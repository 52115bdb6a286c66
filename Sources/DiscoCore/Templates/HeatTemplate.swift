/// A typed Heat Orchestration Template (HOT), rendered with ``HOTWriter`` as JSON or YAML.
public struct HeatTemplate: Sendable, Hashable {
    public var version: String
    public var description: String
    public var parameters: [(String, Parameter)]
    public var resources: [(String, Resource)]
    public var outputs: [(String, Output)]

    public init(version: String = "2018-08-31", description: String, parameters: [(String, Parameter)] = [],
                resources: [(String, Resource)] = [], outputs: [(String, Output)] = []) {
        self.version = version
        self.description = description
        self.parameters = parameters
        self.resources = resources
        self.outputs = outputs
    }

    /// A template parameter.
    public struct Parameter: Sendable, Hashable {
        public var type: String
        public var label: String
        public var description: String
        public var defaultValue: HOTValue?
        public var constraints: [HOTValue]

        public init(type: String, label: String, description: String, defaultValue: HOTValue? = nil, constraints: [HOTValue] = []) {
            self.type = type
            self.label = label
            self.description = description
            self.defaultValue = defaultValue
            self.constraints = constraints
        }

        var value: HOTValue {
            var pairs: [(String, HOTValue)] = [("type", .string(type)), ("label", .string(label)), ("description", .string(description))]
            if let defaultValue { pairs.append(("default", defaultValue)) }
            if !constraints.isEmpty { pairs.append(("constraints", .list(constraints))) }
            return .object(pairs)
        }
    }

    /// A template resource.
    public struct Resource: Sendable, Hashable {
        public var type: String
        public var properties: [(String, HOTValue)]
        public var metadata: HOTValue?
        public var dependsOn: [String]

        public init(type: String, properties: [(String, HOTValue)] = [], metadata: HOTValue? = nil, dependsOn: [String] = []) {
            self.type = type
            self.properties = properties
            self.metadata = metadata
            self.dependsOn = dependsOn
        }

        public static func == (a: Resource, b: Resource) -> Bool {
            a.type == b.type && a.metadata == b.metadata && a.dependsOn == b.dependsOn
                && HOTValue.object(a.properties) == HOTValue.object(b.properties)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(type)
            hasher.combine(HOTValue.object(properties))
        }

        var value: HOTValue {
            var pairs: [(String, HOTValue)] = [("type", .string(type))]
            if let metadata { pairs.append(("metadata", metadata)) }
            if !properties.isEmpty { pairs.append(("properties", .object(properties))) }
            if !dependsOn.isEmpty { pairs.append(("depends_on", .list(dependsOn.map(HOTValue.string)))) }
            return .object(pairs)
        }
    }

    /// A template output.
    public struct Output: Sendable, Hashable {
        public var description: String
        public var value: HOTValue

        public init(description: String, value: HOTValue) {
            self.description = description
            self.value = value
        }
    }

    public static func == (a: HeatTemplate, b: HeatTemplate) -> Bool { a.document == b.document }
    public func hash(into hasher: inout Hasher) { hasher.combine(document) }

    /// The whole template as one value, keys in HOT's customary order.
    public var document: HOTValue {
        .object([
            ("heat_template_version", .string(version)),
            ("description", .string(description)),
            ("parameters", .object(parameters.map { ($0.0, $0.1.value) })),
            ("resources", .object(resources.map { ($0.0, $0.1.value) })),
            ("outputs", .object(outputs.map { ($0.0, .object([("description", .string($0.1.description)), ("value", $0.1.value)])) })),
        ])
    }

    /// The resource named `name`.
    public func resource(_ name: String) -> Resource? { resources.first { $0.0 == name }?.1 }

    /// Rendered as JSON (what DISCO sends to Heat).
    public func json(pretty: Bool = true) -> String { HOTWriter.json(document, pretty: pretty) }

    /// Rendered as YAML (for people and `openstack stack create -t`).
    public func yaml() -> String { HOTWriter.yaml(document) }
}
