public import Foundation

/// Why a catalog could not be loaded.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or folder concerned.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// All components DISCO can install, by name.
///
/// Load the built-in catalog with ``ComponentCatalog/builtIn()``, or an operator's folder (one sub-folder per
/// component holding `component.json` and its fragment files) with ``ComponentCatalog/load(from:)``.
public struct ComponentCatalog: Sendable {
    public private(set) var components: [String: Component]
    /// The shared bash library embedded in every node's script.
    public var prelude: String

    public init(components: [Component], prelude: String) throws(CatalogError) {
        var byName: [String: Component] = [:]
        for component in components {
            if byName[component.name] != nil {
                throw CatalogError(path: component.name, message: "component '\(component.name)' is defined twice")
            }
            byName[component.name] = component
        }
        self.components = byName
        self.prelude = prelude
        try checkReferences()
    }

    /// Names in alphabetical order.
    public var names: [String] { components.keys.sorted() }

    public subscript(name: String) -> Component? { components[name] }

    /// Components every cluster gets without asking (the base).
    public var implicitNames: [String] { names.filter { components[$0]!.manifest.isImplicit } }

    /// The catalog shipped with DISCO.
    public static func builtIn() throws(CatalogError) -> ComponentCatalog {
        guard let root = Bundle.module.url(forResource: "components", withExtension: nil) else {
            throw CatalogError(path: "components", message: "the built-in catalog is missing from the bundle")
        }
        return try load(from: root)
    }

    /// The built-in prelude (the bash library shared by all scripts).
    public static func builtInPrelude() throws(CatalogError) -> String {
        guard let url = Bundle.module.url(forResource: "scripts/prelude", withExtension: "sh")
            ?? Bundle.module.url(forResource: "prelude", withExtension: "sh", subdirectory: "scripts") else {
            throw CatalogError(path: "scripts/prelude.sh", message: "the built-in prelude is missing from the bundle")
        }
        return try readText(url)
    }

    /// Loads every sub-folder of `directory` as a component; the prelude is the built-in one unless the folder
    /// has its own `prelude.sh`.
    public static func load(from directory: URL) throws(CatalogError) -> ComponentCatalog {
        let fm = FileManager.default
        let entries: [String]
        do {
            entries = try fm.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CatalogError(path: directory.path, message: "cannot read the component folder (\(error.localizedDescription))")
        }
        var components: [Component] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let folder = directory.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            components.append(try loadComponent(from: folder))
        }
        let ownPrelude = directory.appendingPathComponent("prelude.sh")
        let prelude = fm.fileExists(atPath: ownPrelude.path) ? try readText(ownPrelude) : try builtInPrelude()
        return try ComponentCatalog(components: components, prelude: prelude)
    }

    /// Loads one component folder.
    public static func loadComponent(from folder: URL) throws(CatalogError) -> Component {
        let manifestURL = folder.appendingPathComponent("component.json")
        let data: Data
        do {
            data = try Data(contentsOf: manifestURL)
        } catch {
            throw CatalogError(path: manifestURL.path, message: "missing or unreadable component.json")
        }
        let manifest: ComponentManifest
        do {
            manifest = try JSONDecoder().decode(ComponentManifest.self, from: data)
        } catch let error as DecodingError {
            throw CatalogError(path: manifestURL.path, message: error.readableDescription)
        } catch {
            throw CatalogError(path: manifestURL.path, message: "\(error)")
        }
        if manifest.name != folder.lastPathComponent {
            throw CatalogError(path: manifestURL.path,
                               message: "name '\(manifest.name)' must equal the folder name '\(folder.lastPathComponent)'")
        }
        try validate(manifest, at: manifestURL.path)
        var fragments: [NodeRole: String] = [:]
        for (role, file) in manifest.fragments {
            if file.contains("/") || file.hasPrefix(".") {
                throw CatalogError(path: manifestURL.path, message: "fragment '\(file)' must be a file name inside the component folder")
            }
            fragments[role] = try readText(folder.appendingPathComponent(file))
        }
        return Component(manifest: manifest, fragments: fragments)
    }

    private static func validate(_ m: ComponentManifest, at path: String) throws(CatalogError) {
        if !ClusterSpec.componentNamePattern.matches(m.name) {
            throw CatalogError(path: path, message: "name '\(m.name)' is not valid; use lower-case letters, digits and '-'")
        }
        for (name, property) in m.properties {
            if !Self.propertyNamePattern.matches(name) {
                throw CatalogError(path: path, message: "property '\(name)' is not valid; use lower-case letters, digits and '_'")
            }
            if let source = property.pattern {
                guard let pattern = try? Pattern(validating: source) else {
                    throw CatalogError(path: path, message: "property '\(name)' has an invalid pattern '\(source)'")
                }
                if let value = property.defaultValue, !pattern.matches(value) {
                    throw CatalogError(path: path, message: "property '\(name)': default '\(value)' does not match its pattern")
                }
            } else if !property.isSecret && property.type == .string {
                throw CatalogError(path: path, message: "string property '\(name)' needs a pattern: every value entering a script must be checked")
            }
        }
        for port in m.ports where !(1...65535).contains(port.port) || !["tcp", "udp"].contains(port.protocol) {
            throw CatalogError(path: path, message: "port \(port.port)/\(port.protocol) is not valid; use 1…65535 over tcp or udp")
        }
        for download in m.downloads {
            if !Self.downloadIDPattern.matches(download.id) {
                throw CatalogError(path: path, message: "download id '\(download.id)' is not valid; use letters, digits and '_'")
            }
            if !Self.downloadPathPattern.matches(download.path) || download.path.contains("..") {
                throw CatalogError(path: path, message: "download path '\(download.path)' is not a safe relative path")
            }
            if let sum = download.sha512, !Self.sha512Pattern.matches(sum) {
                throw CatalogError(path: path, message: "download '\(download.id)': sha512 must be 128 lower-case hex digits")
            }
        }
        if let readiness = m.readiness {
            if readiness.port == nil && readiness.url == nil {
                throw CatalogError(path: path, message: "readiness needs a port or a url")
            }
            if let url = readiness.url, !Self.readinessURLPattern.matches(url) {
                throw CatalogError(path: path, message: "readiness url '\(url)' must be an http URL without quotes or spaces")
            }
        }
    }

    private func checkReferences() throws(CatalogError) {
        for name in names {
            let manifest = components[name]!.manifest
            for other in manifest.requires + manifest.conflicts where components[other] == nil {
                throw CatalogError(path: name, message: "refers to unknown component '\(other)'")
            }
        }
    }

    static let propertyNamePattern = Pattern("^[a-z][a-z0-9_]{0,31}$")
    static let downloadIDPattern = Pattern("^[A-Za-z][A-Za-z0-9_]{0,31}$")
    static let downloadPathPattern = Pattern("^[A-Za-z0-9][A-Za-z0-9._/+-]{0,254}$")
    static let sha512Pattern = Pattern("^[0-9a-f]{128}$")
    static let readinessURLPattern = Pattern("^https?://[A-Za-z0-9.:_/?&=%-]+$")

    private static func readText(_ url: URL) throws(CatalogError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw CatalogError(path: url.path, message: "missing or unreadable")
        }
    }
}
