package import DiscoCore
import Foundation

/// `clouds.yaml` and `secure.yaml`, found and merged as openstacksdk (the `openstack` CLI) does.
///
/// The first file found wins, in this order: `$OS_CLIENT_CONFIG_FILE`, then `clouds.yaml`, `clouds.yml`, `clouds.json`
/// in each of ``searchDirectories(environment:currentDirectory:)``. `secure.yaml` is looked for the same way
/// (`$OS_CLIENT_SECURE_FILE` first) and laid over it key by key (``YAMLNode/merging(_:)``), so a cloud's `auth.password`
/// can live apart from the rest. Unlike openstacksdk, a file that does not parse is an error, not skipped: skipping it
/// would sign in with another file's cloud. A file that cannot be read is skipped, as openstacksdk does.
package struct CloudsConfiguration: Sendable {
    /// The clouds file read, nil when none was found.
    package var file: String?
    /// The secure file merged in, if any.
    package var secureFile: String?
    /// The clouds file with the secure one laid over it.
    package var document: YAMLNode
    /// Every path looked at for the clouds file, in order (for the message when none is found).
    package var searched: [String]

    /// openstacksdk's directories on Linux, in its order: the current directory; `$XDG_CONFIG_HOME/openstack` (else
    /// `~/.config/openstack`); `~/.config/openstack` (`$SNAP_REAL_HOME/.config/openstack` in a snap); the first
    /// `$XDG_CONFIG_DIRS` directory's `openstack` (else `/etc/xdg/openstack`; none when it lists several, where
    /// openstacksdk's joined path names no directory); `/etc/openstack`. Duplicates are dropped.
    package static func searchDirectories(environment: [String: String], currentDirectory: String) -> [String] {
        func env(_ name: String) -> String? {
            guard var value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            while value.count > 1, value.hasSuffix("/") { value.removeLast() }
            return value
        }
        let home = env("HOME") ?? NSHomeDirectory()
        var directories = [currentDirectory, (env("XDG_CONFIG_HOME") ?? home + "/.config") + "/openstack",
                           (env("SNAP_REAL_HOME") ?? home) + "/.config/openstack"]
        let site = env("XDG_CONFIG_DIRS") ?? "/etc/xdg"
        if !site.contains(":") { directories.append(site + "/openstack") }
        directories.append("/etc/openstack")
        var seen = Set<String>()
        return directories.filter { seen.insert($0).inserted }
    }

    /// Finds, reads and merges the files.
    /// - Parameter directories: where to look, in order (see ``searchDirectories(environment:currentDirectory:)``).
    package static func load(environment: [String: String], directories: [String]) throws(CloudConfigError) -> Self {
        func candidates(_ override: String, _ stem: String) -> [String] {
            let given = environment[override].flatMap { $0.isEmpty ? nil : $0 }
            return (given.map { [$0] } ?? []) + directories.flatMap { directory in
                ["yaml", "yml", "json"].map { "\(directory)/\(stem).\($0)" }
            }
        }
        let cloudFiles = candidates("OS_CLIENT_CONFIG_FILE", "clouds")
        let clouds = try firstReadable(cloudFiles)
        let secure = try firstReadable(candidates("OS_CLIENT_SECURE_FILE", "secure"))
        for found in [clouds, secure].compactMap({ $0 }) {
            switch found.node.value {
            case .mapping, .null: continue
            default: throw CloudConfigError(YAMLError(file: found.path, line: found.node.line, path: "", message:
                "is \(found.node.kindDescription), not a mapping with a 'clouds:' key").description)
            }
        }
        var document = clouds?.node ?? YAMLNode(.null, file: "clouds.yaml", line: 0, column: 0)
        if let secure, secure.node.entries != nil {
            document = document.entries == nil ? secure.node : document.merging(secure.node)
        }
        return Self(file: clouds?.path ?? secure?.path, secureFile: secure?.path, document: document, searched: cloudFiles)
    }

    /// The first of `paths` that can be read, parsed (YAML, or JSON for `.json`).
    private static func firstReadable(_ paths: [String]) throws(CloudConfigError) -> (path: String, node: YAMLNode)? {
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            guard let text = String(data: data, encoding: .utf8) else { throw CloudConfigError("\(path): is not UTF-8 text") }
            if path.hasSuffix(".json") {
                guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                    throw CloudConfigError("\(path): is not valid JSON")
                }
                return (path, node(fromJSON: object, file: path))
            }
            do {
                return (path, try YAMLReader.read(text, file: path))
            } catch {
                throw CloudConfigError(error.description)
            }
        }
        return nil
    }

    private static func node(fromJSON object: Any, file: String) -> YAMLNode {
        let value: YAMLNode.Value
        switch object {
        case let dictionary as [String: Any]:
            value = .mapping(dictionary.keys.sorted().map { YAMLEntry(key: $0, value: node(fromJSON: dictionary[$0]!, file: file)) })
        case let array as [Any]: value = .sequence(array.map { node(fromJSON: $0, file: file) })
        case let text as String: value = .scalar(text)
        case is NSNull: value = .null
        default: value = .scalar("\(object)")
        }
        return YAMLNode(value, file: file, line: 0, column: 0)
    }

    /// The names under `clouds:`, in the file's order.
    package var cloudNames: [String] { (document["clouds"]?.entries ?? []).map(\.key) }

    /// The cloud `name`, checked: its settings are text, and its `auth_type` one disco-cli signs in with.
    package func cloud(named name: String) throws(CloudConfigError) -> CloudEntry {
        guard let file else {
            throw CloudConfigError("no clouds.yaml was found to read cloud '\(name)' from; looked for "
                                   + searched.filter { !$0.hasSuffix(".yml") && !$0.hasSuffix(".json") }.joined(separator: ", "))
        }
        let clouds = document["clouds"]
        if let clouds, clouds.entries == nil, clouds.value != .null {
            throw error(clouds, "clouds", "is \(clouds.kindDescription); expected a mapping of cloud names to their settings")
        }
        guard let node = clouds?[name] else {
            let names = cloudNames.map { "'\($0)'" }.joined(separator: ", ")
            throw CloudConfigError("\(file): no cloud named '\(name)'" + (secureFile.map { " (nor in \($0))" } ?? "")
                                   + (names.isEmpty ? "; it names no clouds under 'clouds:'" : "; the clouds found: \(names)"))
        }
        let path = "clouds.\(name)"
        if node.entries == nil, node.value != .null { throw error(node, path, "is \(node.kindDescription); expected the cloud's settings") }
        let auth = Self.value(node, "auth")
        if let auth, auth.entries == nil, auth.value != .null { throw error(auth, path + ".auth", "is \(auth.kindDescription); expected a mapping") }
        /// The first of `keys` given, as text.
        func text(_ parent: YAMLNode?, _ parentPath: String, _ keys: String...) throws(CloudConfigError) -> String? {
            for key in keys {
                guard let parent, let value = Self.value(parent, key) else { continue }
                switch value.value {
                case .null: continue
                case let .scalar(text): if !text.isEmpty { return text }
                default: throw error(value, "\(parentPath).\(key)", "is \(value.kindDescription); expected a text value")
                }
            }
            return nil
        }
        var cloud = CloudEntry(name: name, file: file)
        let authPath = path + ".auth"
        cloud.authURL = try text(auth, authPath, "auth_url")
        cloud.username = try text(auth, authPath, "username")
        cloud.password = try text(auth, authPath, "password")
        cloud.projectName = try text(auth, authPath, "project_name", "tenant_name")
        cloud.projectID = try text(auth, authPath, "project_id", "tenant_id")
        cloud.userDomainName = try text(auth, authPath, "user_domain_name")
        cloud.userDomainID = try text(auth, authPath, "user_domain_id")
        cloud.projectDomainName = try text(auth, authPath, "project_domain_name")
        cloud.regionName = try text(node, path, "region_name")
        cloud.authType = try text(node, path, "auth_type")
        if let type = cloud.authType, type != "password", type != "v3password", let typeNode = Self.value(node, "auth_type") {
            throw error(typeNode, path + ".auth_type", "cloud '\(name)' uses auth_type '\(type)', which disco-cli does not support: "
                        + "it signs in through the service manager with a user name and password (auth_type password or "
                        + "v3password); give a token with --token or OS_TOKEN instead")
        }
        return cloud
    }

    /// `key` in a mapping, read as openstacksdk normalizes keys (`-` as `_`).
    private static func value(_ mapping: YAMLNode, _ key: String) -> YAMLNode? {
        mapping.entries?.first { $0.key.replacingOccurrences(of: "-", with: "_") == key }?.value
    }

    /// Names the file the node came from (the secure file for what it set).
    private func error(_ node: YAMLNode, _ path: String, _ message: String) -> CloudConfigError {
        CloudConfigError(YAMLError(file: node.file, line: node.line, path: path, message: message).description)
    }
}
