import DiscoCore
import Foundation

/// How clusters and plans look as text.
enum ClusterText {
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime, .withTimeZone]
        return formatter.string(from: date)
    }

    static func memory(_ megabytes: Int) -> String {
        megabytes % 1024 == 0 ? "\(megabytes / 1024) GiB" : "\(megabytes) MiB"
    }

    static func totals(_ t: ResourceTotals) -> String {
        "\(t.instances) instance\(t.instances == 1 ? "" : "s"), \(t.vcpus) vCPUs, \(memory(t.ramMB)) RAM, \(t.diskGB) GB disk, "
            + "\(t.floatingIPs) floating IP, \(t.networks) network, \(t.routers) router, \(t.securityGroups) security group"
    }

    static func symbol(_ state: String, unicode: Bool) -> String {
        switch state {
        case "ready": unicode ? "✓" : "+"
        case "failed": unicode ? "✗" : "x"
        case "installing": unicode ? "▸" : ">"
        default: unicode ? "·" : "."
        }
    }

    /// `show`.
    static func details(_ c: ClusterView, console: Console) -> [String] {
        var lines: [String] = []
        func field(_ label: String, _ value: String) {
            lines.append(console.paint(label.padding(toLength: 10, withPad: " ", startingAt: 0), .bold) + value)
        }
        field("Cluster", "\(c.name)  (\(c.id))")
        var state = console.paint(c.state, Style.forState(c.state))
        if c.isSettling { state += " \(c.progress)%" }
        if !c.stateReason.isEmpty { state += " — " + c.stateReason }
        field("State", state)
        if let health = c.health {
            let summary = HealthText.summary(health, console: console, indent: String(repeating: " ", count: 10))
            field("Health", summary[0])
            lines += summary.dropFirst()
        } else if c.state == "ready" {
            field("Health", "not checked yet; check now with: disco-cli check \(c.name)")
        }
        var nodes = "1 master \(c.master.flavor) (\(c.master.image))"
        if c.workers > 0 {
            nodes += ", \(c.workers) worker\(c.workers == 1 ? "" : "s") \(c.worker.flavor) (\(c.worker.image))"
        } else {
            nodes += ", no workers"
        }
        if let desired = c.desiredWorkers, desired != c.workers { nodes += ", scaling to \(desired)" }
        field("Nodes", nodes)
        field("Network", "\(c.network) → \(c.externalNetwork)")
        if let ip = c.externalIP {
            field("Address", ip + (c.masterAddress.map { " (master \($0) inside)" } ?? ""))
            field("Login", "disco-cli ssh \(c.name)   (or: ssh -i \(c.name).id_ed25519 \(c.loginUser ?? "<user>")@\(ip))")
        }
        field("Uses", Self.totals(c.totals))
        var created = time(c.createdAt)
        if let expires = c.expiresAt { created += "; deleted automatically at \(time(expires))" }
        field("Created", created)
        if !c.tags.isEmpty { field("Tags", c.tags.joined(separator: ", ")) }
        field("Stack", c.stackName + (c.stackStatus.isEmpty ? "" : " (\(c.stackStatus))"))
        lines.append("")
        let components = Table([.init(title: "COMPONENT"), .init(title: "VERSION"), .init(title: "STATE", style: Style.forState),
                                .init(title: "WHY", isFlexible: true)],
                               rows: c.components.map { [$0.name, $0.version, $0.state, $0.reason] })
        lines += components.render(width: console.width, console: console)
        if let health = c.health, !health.nodes.isEmpty {
            lines.append("")
            lines += HealthText.nodes(health, console: console)
        }
        if !c.ui.isEmpty {
            lines.append("")
            let rows = c.ui.map { link -> [String] in
                var url = link.url ?? c.externalIP.map { "http://\($0):\(link.port)/" } ?? "(when ready)"
                if !link.isPublic, let ip = c.externalIP { url = url.replacingOccurrences(of: "//\(ip):", with: "//localhost:") }
                return [link.name, url, link.isPublic ? "public" : "ssh tunnel"]
            }
            lines += Table([.init(title: "WEB UI"), .init(title: "ADDRESS", isFlexible: true), .init(title: "ACCESS")], rows: rows)
                .render(width: console.width, console: console)
            let tunnels = c.ui.filter { !$0.isPublic }.map { "-L \($0.port):localhost:\($0.port)" }
            if !tunnels.isEmpty {
                lines.append("Tunnel: disco-cli ssh \(c.name) -N " + tunnels.joined(separator: " "))
            }
        }
        return lines
    }

    /// The live view of `watch` and `--wait`: a bar, then one line per component.
    static func progress(_ c: ClusterView, console: Console) -> [String] {
        let unicode = console.isOutputTTY
        let head = "\(c.name)  " + console.paint(c.state.padding(toLength: 13, withPad: " ", startingAt: 0), Style.forState(c.state))
        let percent = "\(c.progress)%".leftPadded(4)
        let barWidth = max(10, min(40, console.width - 50))
        var lines = [head + ProgressBar.render(percent: c.progress, width: barWidth, unicode: unicode) + " " + percent]
        lines.append("  " + Table.fit(c.stateReason, console.width - 3))
        if let health = c.health {
            let text = "health " + health.status.rawValue + (health.reasons.isEmpty ? "" : " — " + health.reasonText)
            let fitted = Table.fit(text, console.width - 3)
            lines.append("  " + console.paint(fitted, Style.forHealth(health.status.rawValue)))
        }
        let nameWidth = (c.components.map { $0.name.count + $0.version.count + 1 }.max() ?? 0) + 2
        for component in c.components {
            let label = "\(component.name) \(component.version)".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let detail = component.detail.isEmpty || component.detail == "\(component.name) \(component.state)" ? "" : "  " + component.detail
            let line = "  " + console.paint(symbol(component.state, unicode: unicode), Style.forState(component.state)) + " " + label
                + console.paint(component.state, Style.forState(component.state)) + detail
            lines.append(Table.fit(line, console.useColor ? Int.max : console.width - 1))
        }
        return lines
    }

    /// Lines saying what changed, for output that is not a terminal.
    static func changes(from old: ClusterView?, to new: ClusterView) -> [String] {
        var lines: [String] = []
        if old == nil || old!.state != new.state || old!.progress != new.progress || old!.stateReason != new.stateReason {
            lines.append("\(new.name): \(new.state) \(new.progress)% — \(new.stateReason)")
        }
        for component in new.components {
            let before = old?.components.first { $0.name == component.name }?.state
            let early = ["accepted", "provisioning", "installing"].contains(new.state)
            if before != component.state && (before != nil ? true : early && component.state != "pending") {
                lines.append("  \(component.name) \(component.version): \(component.state)")
            }
        }
        if let health = HealthText.change(from: old?.health, to: new.health, cluster: new.name) { lines.append(health) }
        return lines
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
