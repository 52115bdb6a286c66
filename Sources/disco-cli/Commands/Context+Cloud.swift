import DiscoCore
import DiscoRuntime
import Foundation

extension Context {
    /// `token`: the given token as is, or one issued for the credentials.
    func token() async throws {
        if let token = givenToken {
            if global.json { return try emitJSON(["token": token]) }
            console.print(token)
            return
        }
        let (issued, data) = try await issueToken()
        cli.tokens.set(serverURL, issued.token)
        if global.json { return emitJSON(data) }
        console.print(issued.token)
    }

    func components(offline: Bool) async throws {
        let manifests: [ComponentManifest]
        if offline {
            let catalog = try ComponentCatalog.builtIn()
            manifests = catalog.names.compactMap { catalog[$0]?.manifest }
            if global.json { return try emitJSON(["components": manifests.map { ComponentView($0, in: catalog) }]) }
        } else {
            let (list, data) = try await anonymousClient().components()
            if global.json { return emitJSON(data) }
            manifests = list
        }
        let rows = manifests.sorted { ($0.isImplicit ? 0 : 1, $0.name) < ($1.isImplicit ? 0 : 1, $1.name) }.map { m -> [String] in
            let required = m.properties.filter { $0.value.isRequired && $0.value.defaultValue == nil }.keys.sorted()
            return [m.isImplicit ? m.name + "*" : m.name, m.version,
                    m.requires.isEmpty ? "-" : m.requires.joined(separator: ","),
                    required.isEmpty ? "-" : required.joined(separator: ","),
                    m.ports.filter { $0.exposure == .public }.map { String($0.port) }.joined(separator: ",").ifEmpty("-"),
                    m.ports.filter { $0.exposure == .internal }.map { String($0.port) }.joined(separator: ",").ifEmpty("-")]
        }
        let table = Table([.init(title: "NAME"), .init(title: "VERSION"), .init(title: "REQUIRES"), .init(title: "NEEDS"),
                           .init(title: "PUBLIC PORTS"), .init(title: "INTERNAL PORTS", isFlexible: true)], rows: rows)
        for line in table.render(width: console.width, console: console) { console.print(line) }
        console.print("")
        let footer = "* installed on every cluster. NEEDS: properties to give, e.g. -p jupyter.password=…. "
            + "Internal ports are reachable only inside the cluster (ssh -L port:localhost:port). "
            + (offline ? "Built-in catalog." : "Catalog of \(serverURL).")
        for line in wrap(footer, width: console.width - 1) { console.print(line) }
    }

    func images() async throws {
        let (images, data) = try await withClient { try await $0.images() }
        if global.json { return emitJSON(data) }
        let table = Table([.init(title: "NAME"), .init(title: "STATUS"), .init(title: "ID", isFlexible: true)],
                          rows: images.map { [$0.name, $0.status, $0.id] })
        for line in table.render(width: console.width, console: console) { console.print(line) }
    }

    func flavors() async throws {
        let (flavors, data) = try await withClient { try await $0.flavors() }
        if global.json { return emitJSON(data) }
        let table = Table([.init(title: "NAME"), .init(title: "VCPUS", alignRight: true), .init(title: "RAM", alignRight: true),
                           .init(title: "DISK", alignRight: true), .init(title: "ID", isFlexible: true)],
                          rows: flavors.map { [$0.name, String($0.vcpus), ClusterText.memory($0.ramMB), "\($0.diskGB) GB", $0.id] })
        for line in table.render(width: console.width, console: console) { console.print(line) }
    }

    func networks() async throws {
        let (networks, data) = try await withClient { try await $0.networks() }
        if global.json { return emitJSON(data) }
        let table = Table([.init(title: "NAME"), .init(title: "EXTERNAL"), .init(title: "ID", isFlexible: true)],
                          rows: networks.map { [$0.name, $0.isExternal ? "yes" : "no", $0.id] })
        for line in table.render(width: console.width, console: console) { console.print(line) }
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
