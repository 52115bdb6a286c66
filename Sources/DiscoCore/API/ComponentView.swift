import Foundation

/// A catalog component as the REST API shows it.
public struct ComponentView: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var summary: String
    /// Why this version and what it is supported with upstream (Java, neighbouring components); may be empty.
    public var compatibility: String?
    public var requires: [String]
    /// Everything the component needs, directly or not, in install order (implicit components left out): what the
    /// planner adds when it is asked for.
    public var needs: [String]
    public var conflicts: [String]
    public var implicit: Bool
    public var properties: [String: PropertyDefinition]
    public var ports: [PortDefinition]
    public var ui: [UILink]

    /// The view of `manifest`, a component of `catalog`.
    public init(_ manifest: ComponentManifest, in catalog: ComponentCatalog) {
        name = manifest.name
        version = manifest.version
        summary = manifest.summary
        compatibility = manifest.compatibility.isEmpty ? nil : manifest.compatibility
        requires = manifest.requires
        needs = ((try? ComponentResolver.resolve([manifest.name], in: catalog)) ?? []).compactMap { component in
            guard case .requiredBy = component.reason else { return nil }
            return component.name
        }
        conflicts = manifest.conflicts
        implicit = manifest.isImplicit
        properties = manifest.properties
        ports = manifest.ports
        ui = manifest.ui
    }
}
