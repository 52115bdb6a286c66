/// A component in a resolved plan, with why it is there.
public struct ResolvedComponent: Sendable, Hashable, Codable {
    /// Why a component is in the plan.
    public enum Reason: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The user asked for it.
        case requested
        /// Every cluster gets it.
        case implicit
        /// Added because these components need it.
        case requiredBy([String])

        public var description: String {
            switch self {
            case .requested: "requested"
            case .implicit: "always installed"
            case let .requiredBy(names): "required by " + names.joined(separator: ", ")
            }
        }
    }

    public var name: String
    public var version: String
    public var reason: Reason
    /// Effective property values; secrets are not included.
    public var properties: [String: String]

    public init(name: String, version: String, reason: Reason, properties: [String: String] = [:]) {
        self.name = name
        self.version = version
        self.reason = reason
        self.properties = properties
    }
}
