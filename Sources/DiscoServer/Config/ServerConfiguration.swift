package import DiscoCore
import Foundation
import DiscoRuntime

/// Everything `disco-sm` needs to run, from `sm.cfg` (INI), the environment and flags, with defaults that start
/// a working server with the simulated cloud.
///
/// ```ini
/// [general]
/// log_file = /var/log/disco/sm.log     ; default: standard error
/// log_level = info
/// [service_manager]
/// listen = 127.0.0.1                   ; new: address to bind
/// port = 8888
/// design_uri = https://keystone.example.org:5000/v3   ; Keystone; v2.0 endpoints are accepted
/// manifest = etc/service_manifest.json ; accepted for compatibility, not needed
/// state_directory = /var/lib/disco
/// trusted_proxies = 127.0.0.1          ; new: reverse proxies whose Forwarded / X-Forwarded-Proto / -Host are believed
/// allowed_hosts = disco.example.org    ; new: Host names served besides loopback ones (see ``HostAllowList``)
/// operations_require_token = false     ; new: true: /healthz and /metrics need a valid token
/// [disco]
/// framework_directory = /etc/disco/components   ; operator catalog; default: the built-in one
/// cloud = simulated                    ; or openstack (then design_uri is required)
/// download_mirror = https://archive.apache.org/dist
/// poll_interval = 2
/// health_interval = 60                 ; seconds between reads of a ready cluster's health; 0 = only on `check`
/// health_concurrency = 64              ; health reads in flight at most
/// default_ttl = 0                      ; seconds or a duration (8h, 7d); 0 = none
/// max_workers = 1000
/// max_clusters_per_project = 100       ; 0 = no cap
/// creates_per_minute = 30              ; per project; 0 = no limit
/// default_image = ubuntu-22.04  default_flavor = m1.medium  default_external_network = public
/// orphans = report                     ; or delete
/// unrestricted_credentials = false     ; true: see ``unrestrictedCredentials``
/// user_data = auto                     ; or packed: every install script sent gzip-packed (see ``UserDataForm``)
/// allowed_sources = 0.0.0.0/0          ; networks (CIDR) that reach clusters' public ports, unless a spec says
/// [simulation]
/// ready_seconds = 10                   ; how long a simulated cluster takes to become ready
/// quota_scale = 1                      ; 1…100000: the simulated project's quota (20 instances, 40 vCPUs, 100 GiB, 10 IPs) times this
/// ```
package struct ServerConfiguration: Sendable {
    package enum CloudKind: String, Sendable { case simulated, openstack }

    package var host = "127.0.0.1"
    package var port = 8888
    package var logFile: String?
    package var logLevel: Logger.Level = .info
    package var designURI: String?
    /// Where records and keys are kept; empty when neither the configuration nor `XDG_STATE_HOME` / `HOME` names
    /// one (the server then refuses to start: a fixed place under `/tmp` would be predictable to other users).
    package var stateDirectory: String
    package var frameworkDirectory: String?
    package var cloud: CloudKind = .simulated
    package var mirror = "https://archive.apache.org/dist"
    package var checksumBase = "https://archive.apache.org/dist"
    package var pollInterval: Double = 2
    /// Seconds between two reads of a ready cluster's health document; 0: only the `check` action reads it.
    package var healthInterval: Double = 60
    /// Health reads in flight at most.
    package var healthConcurrency = 64
    package var defaultTTLSeconds: Int?
    package var maxWorkers = 1000
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-*` headers are believed.
    package var trustedProxies = TrustedProxies()
    /// The `Host` names served besides loopback ones, against DNS rebinding.
    package var allowedHosts = HostAllowList()
    /// `/healthz` and `/metrics` need a valid token. Open by default: probes and scrapers usually carry none, and
    /// an anonymous `/healthz` shows only status, version and counts.
    package var operationsRequireToken = false
    /// The most clusters a project may have; `nil`: no cap.
    package var maxClustersPerProject: Int? = 100
    /// Creates a project may make in a minute (all at once, then evenly); `nil`: no limit.
    package var createsPerMinute: Int? = 30
    package var defaultImage: String?
    package var defaultFlavor: String?
    package var defaultExternalNetwork: String?
    package var orphanPolicy: ClusterService.OrphanPolicy = .report
    /// Per-cluster application credentials made unrestricted: they can delete themselves when no user token is at
    /// hand, and Keystone releases before LP#2150089 let them (and no restricted one) manage the trust Heat makes for a
    /// stack. Later releases let delegated tokens manage trusts only with `[security_compliance]
    /// allow_insecure_application_credential_trust_escalation = true`. Such a credential can also make further
    /// credentials, so it is the operator's choice.
    package var unrestrictedCredentials = false
    /// How install scripts are sent as user data.
    package var userData: UserDataForm = .auto
    /// The networks (CIDR) allowed to reach a cluster's public ports when its spec names none.
    package var allowedSources = ["0.0.0.0/0"]
    package var simulationReadySeconds: Double = 10
    /// The simulated project's quota is the simulator's default times this.
    package var simulationQuotaScale = 1
    /// What a create that leaves a node's image or flavor, or the external network, out gets (REST, OCCI and the
    /// CLI alike): the `default_*` keys; on the simulated cloud, ``SpecDefaults`` for those not set.
    package var specFallbacks: SpecFallbacks {
        let builtIn = cloud == .simulated ? SpecFallbacks.builtIn : SpecFallbacks()
        return SpecFallbacks(image: defaultImage ?? builtIn.image, flavor: defaultFlavor ?? builtIn.flavor,
                             externalNetwork: defaultExternalNetwork ?? builtIn.externalNetwork)
    }
    /// Where the configuration came from, for the start-up banner.
    package var source = "built-in defaults"
    /// The line of each key read from ``source``, by `"[section] key"`.
    package var lines: [String: Int] = [:]

    /// A problem with the value of `key` (`"[section] key"`), naming the file and the key's line.
    package func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(path: source, line: lines[key], key: key, message: message)
    }

    package init(stateDirectory: String = ServerConfiguration.defaultStateDirectory()) {
        self.stateDirectory = stateDirectory
    }

    /// `$XDG_STATE_HOME/disco`, else `$HOME/.local/state/disco`; empty when neither is set (or both are empty).
    package static func defaultStateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/disco" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/disco" }
        return ""
    }

    /// Reads `path` (INI); unknown sections and keys are errors, so typos are caught.
    package static func load(path: String) throws(ConfigurationError) -> ServerConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(path: path, line: nil, key: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(INIFile(path: path, text: text))
    }

    static let knownKeys: [String: Set<String>] = [
        "general": ["log_file", "log_level", "port", "graylog_api", "graylog_port", "manager"],
        "service_manager": ["manifest", "design_uri", "listen", "port", "state_directory", "service_params", "trusted_proxies",
                            "allowed_hosts", "operations_require_token"],
        "service_manager_admin": ["register_service", "service_token", "service_tenant_name", "region"],
        "disco": ["framework_directory", "cloud", "download_mirror", "checksum_base", "poll_interval", "health_interval",
                  "health_concurrency", "default_ttl",
                  "max_workers", "max_clusters_per_project", "creates_per_minute", "default_image", "default_flavor", "default_external_network", "orphans",
                  "unrestricted_credentials", "user_data", "allowed_sources"],
        "simulation": ["ready_seconds", "quota_scale"],
        "mongo": ["host"],
        "cloud_controller": ["wait_time", "max_attempts", "user", "pwd"],
    ]

    static func parse(_ ini: INIFile) throws(ConfigurationError) -> ServerConfiguration {
        var config = ServerConfiguration()
        config.source = ini.path
        for (section, keys) in ini.sections {
            for (key, entry) in keys { config.lines["[\(section)] \(key)"] = entry.line }
        }
        for (section, keys) in ini.sections {
            guard let known = knownKeys[section] else {
                throw ConfigurationError(path: ini.path, line: keys.values.map(\.line).min(), key: "[\(section)]",
                                         message: "unknown section; use one of: " + knownKeys.keys.sorted().joined(separator: ", "))
            }
            for (key, entry) in keys where !known.contains(key) {
                let hint = closestMatch(to: key, in: known.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                throw ConfigurationError(path: ini.path, line: entry.line, key: "[\(section)] \(key)",
                                         message: "unknown key\(hint)")
            }
        }
        func fail(_ section: String, _ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(path: ini.path, line: ini.entry(section, key)?.line, key: "[\(section)] \(key)", message: message)
        }
        func int(_ section: String, _ key: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
            guard let text = ini.value(section, key) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw fail(section, key, "'\(text)' is not a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }
        func double(_ section: String, _ key: String, _ range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
            guard let text = ini.value(section, key) else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw fail(section, key, "'\(text)' is not a number in \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }
        func url(_ section: String, _ key: String) throws(ConfigurationError) -> String? {
            guard let text = ini.value(section, key) else { return nil }
            guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil,
                  !text.contains("'"), !text.contains(" ") else {
                throw fail(section, key, "'\(text)' is not an http(s) URL")
            }
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        }

        func bool(_ section: String, _ key: String) throws(ConfigurationError) -> Bool? {
            guard let text = ini.value(section, key) else { return nil }
            switch text.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw fail(section, key, "'\(text)' is not a yes/no value; use true or false")
            }
        }

        config.logFile = ini.value("general", "log_file")
        if let level = ini.value("general", "log_level") {
            guard let parsed = Logger.Level(name: level) else {
                throw fail("general", "log_level", "'\(level)' is not a level; use trace, debug, info, notice, warning, error or critical")
            }
            config.logLevel = parsed
        }
        if let host = ini.value("service_manager", "listen") { config.host = host }
        if let port = try int("service_manager", "port", 0...65535) {
            config.port = port
        } else if let port = try int("general", "port", 0...65535) {
            config.port = port
        }
        config.designURI = try url("service_manager", "design_uri")
        if let state = ini.value("service_manager", "state_directory") { config.stateDirectory = state }
        if let proxies = ini.value("service_manager", "trusted_proxies") {
            do {
                config.trustedProxies = try TrustedProxies(parsing: proxies)
            } catch {
                throw fail("service_manager", "trusted_proxies", "'\(error.item)' is not an IP address; list the proxies' addresses, e.g. 127.0.0.1, ::1")
            }
        }
        if let hosts = ini.value("service_manager", "allowed_hosts") {
            do {
                config.allowedHosts = try HostAllowList(parsing: hosts)
            } catch {
                throw fail("service_manager", "allowed_hosts", "'\(error.item.prefix(64))' is not a host name or an IP address; list the names "
                           + "clients use in Host, without ports, e.g. disco.example.org, 192.0.2.10 (or * for any)")
            }
        }
        if let required = try bool("service_manager", "operations_require_token") { config.operationsRequireToken = required }
        config.frameworkDirectory = ini.value("disco", "framework_directory")
        if let cloud = ini.value("disco", "cloud") {
            guard let kind = CloudKind(rawValue: cloud.lowercased()) else {
                throw fail("disco", "cloud", "'\(cloud)' is not a cloud kind; use simulated or openstack")
            }
            config.cloud = kind
        } else if config.designURI != nil {
            config.cloud = .openstack
        }
        if config.cloud == .openstack, config.designURI == nil {
            throw ConfigurationError(path: ini.path, line: ini.entry("disco", "cloud")?.line, key: "[service_manager] design_uri",
                                     message: "is required with cloud = openstack (the Keystone URL, e.g. https://keystone:5000/v3)")
        }
        if let mirror = try url("disco", "download_mirror") { config.mirror = mirror }
        if let base = try url("disco", "checksum_base") { config.checksumBase = base }
        if let poll = try double("disco", "poll_interval", 0.05...600) { config.pollInterval = poll }
        if let health = try double("disco", "health_interval", 0...86_400) {
            guard health == 0 || health >= 5 else {
                throw ConfigurationError(path: ini.path, line: ini.entry("disco", "health_interval")?.line,
                                         key: "[disco] health_interval",
                                         message: "is \(health); use 0 (reads only on the check action) or 5 to 86400 seconds")
            }
            config.healthInterval = health
        }
        if let reads = try int("disco", "health_concurrency", 1...4096) { config.healthConcurrency = reads }
        if let text = ini.value("disco", "default_ttl") {
            // As the CLI's --ttl takes it: 7200, 2h, 8h, 7d.
            guard let seconds = ArgumentScanner.duration(text), seconds >= 0, seconds <= 365 * 86_400, seconds == seconds.rounded() else {
                throw fail("disco", "default_ttl", "'\(text)' is not a duration of at most 365 days; use e.g. 0 (none), 7200, 8h or 7d")
            }
            config.defaultTTLSeconds = seconds == 0 ? nil : Int(seconds)
        }
        if let max = try int("disco", "max_workers", 0...100_000) { config.maxWorkers = max }
        if let cap = try int("disco", "max_clusters_per_project", 0...1_000_000) { config.maxClustersPerProject = cap == 0 ? nil : cap }
        if let rate = try int("disco", "creates_per_minute", 0...60_000) { config.createsPerMinute = rate == 0 ? nil : rate }
        config.defaultImage = ini.value("disco", "default_image")
        config.defaultFlavor = ini.value("disco", "default_flavor")
        config.defaultExternalNetwork = ini.value("disco", "default_external_network")
        if let orphans = ini.value("disco", "orphans") {
            guard let policy = ClusterService.OrphanPolicy(rawValue: orphans.lowercased()) else {
                throw fail("disco", "orphans", "'\(orphans)' is not a policy; use report or delete")
            }
            config.orphanPolicy = policy
        }
        if let unrestricted = try bool("disco", "unrestricted_credentials") { config.unrestrictedCredentials = unrestricted }
        if let form = ini.value("disco", "user_data") {
            guard let value = UserDataForm(rawValue: form.lowercased()) else {
                throw fail("disco", "user_data", "'\(form)' is not a user-data form; use auto (packed only when over Nova's limit) or packed")
            }
            config.userData = value
        }
        if let text = ini.value("disco", "allowed_sources") {
            let items = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            guard !items.isEmpty, items.count <= ClusterSpec.maxAllowedSources else {
                throw fail("disco", "allowed_sources", "lists \(items.count) networks; list 1–\(ClusterSpec.maxAllowedSources), e.g. 0.0.0.0/0 or 203.0.113.0/24, 2001:db8::/32")
            }
            for item in items {
                if case let .failure(problem) = IPNetwork.parse(item) {
                    throw fail("disco", "allowed_sources", "'\(item.prefix(64))' \(problem); use networks in CIDR notation, e.g. 203.0.113.0/24, 2001:db8::/32")
                }
            }
            config.allowedSources = items
        }
        if let ready = try double("simulation", "ready_seconds", 0...3600) { config.simulationReadySeconds = ready }
        if let scale = try int("simulation", "quota_scale", 1...100_000) { config.simulationQuotaScale = scale }
        return config
    }
}
