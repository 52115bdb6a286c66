@testable import DiscoCore

extension ComponentCatalog {
    /// A small synthetic catalog: `base` (implicit), and components with the given requirements and conflicts.
    static func make(_ entries: [(name: String, requires: [String], conflicts: [String])],
                     properties: [String: [String: PropertyDefinition]] = [:]) throws -> ComponentCatalog {
        var components = [Component(manifest: ComponentManifest(name: "base", version: "1", summary: "base",
                                                                 fragments: [.all: "all.sh"], isImplicit: true),
                                    fragments: [.all: "  disco_log base\n"])]
        for entry in entries {
            components.append(Component(
                manifest: ComponentManifest(name: entry.name, version: "1.0", summary: entry.name, requires: entry.requires,
                                            conflicts: entry.conflicts, properties: properties[entry.name] ?? [:],
                                            ports: [PortDefinition(port: 9000 + entries.firstIndex { $0.name == entry.name }!, exposure: .public)],
                                            fragments: [.master: "master.sh"]),
                fragments: [.master: "  disco_log \(entry.name)\n"]))
        }
        return try ComponentCatalog(components: components, prelude: "disco_main() { :; }\ndisco_log() { :; }\n")
    }
}

extension CloudInventory {
    /// The simulated cloud's default inventory.
    static let standard = CloudInventory(
        images: [Image(id: "img-1", name: "ubuntu-22.04"), Image(id: "img-2", name: "ubuntu-24.04"), Image(id: "img-3", name: "debian-12")],
        flavors: [Flavor(id: "1", name: "m1.small", vcpus: 1, ramMB: 2048, diskGB: 20),
                  Flavor(id: "2", name: "m1.medium", vcpus: 2, ramMB: 4096, diskGB: 40),
                  Flavor(id: "3", name: "m1.large", vcpus: 4, ramMB: 8192, diskGB: 80),
                  Flavor(id: "4", name: "m1.xlarge", vcpus: 8, ramMB: 16384, diskGB: 160)],
        networks: [Network(id: "net-1", name: "public", isExternal: true), Network(id: "net-2", name: "private", isExternal: false)],
        quota: QuotaHeadroom(instances: 2000, vcpus: 10000, ramMB: 100_000_000, floatingIPs: 10))
}

extension ClusterSpec {
    static func make(name: String = "demo", workers: Int = 2, components: [String: [String: String]] = [:],
                     flavor: String = "m1.large") -> ClusterSpec {
        ClusterSpec(name: name, master: NodeSpec(image: "ubuntu-22.04", flavor: flavor),
                    worker: NodeSpec(image: "ubuntu-22.04", flavor: flavor), workers: workers,
                    externalNetwork: "public", components: components)
    }
}

extension PlanContext {
    /// ``fixed`` with secrets shown as a placeholder: for tests that plan hundreds of specs (argon2id is slow unoptimised).
    static var fixedWithoutHashing: PlanContext {
        var context = fixed
        context.hashesSecrets = false
        return context
    }

    static let fixed = PlanContext(
        clusterID: "0f5e1c2a-9b7d-4e3f-8a61-2c4d5e6f7a8b",
        keys: ClusterKeys(
            user: SSHKeyPair(publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixedUserKeyForGoldenTests disco-user",
                             privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nuser\n-----END OPENSSH PRIVATE KEY-----\n")),
        secretSalt: "0123456789ab")
}
