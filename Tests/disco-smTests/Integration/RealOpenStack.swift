import DiscoCore
import DiscoRuntime
import DiscoOpenStack
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing

/// The real OpenStack of `scripts/openstack/up.sh`, for the tests of the real `disco-sm` binary against it.
///
/// Enabled when `DISCO_OPENSTACK_OPENRC` names the openrc, or `/etc/disco-openstack/demo-openrc.sh` exists and
/// Keystone answers on 127.0.0.1:5000; skipped visibly otherwise.
enum RealOpenStack {
    static let defaultOpenRC = "/etc/disco-openstack/demo-openrc.sh"
    static let skipReason: Comment = "no real OpenStack here: run scripts/openstack/up.sh, then DISCO_OPENSTACK_OPENRC=/etc/disco-openstack/demo-openrc.sh swift test"

    static let openRC: String? = {
        if let path = ProcessInfo.processInfo.environment["DISCO_OPENSTACK_OPENRC"], !path.isEmpty { return path }
        if FileManager.default.isReadableFile(atPath: defaultOpenRC), keystoneListening() { return defaultOpenRC }
        return nil
    }()

    static var isUp: Bool { openRC != nil }

    static func variables() throws -> [String: String] {
        let path = try #require(openRC)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("export ") { trimmed.removeFirst(7) }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            var value = String(trimmed[trimmed.index(after: equals)...])
            if let hash = value.range(of: "   #") { value = String(value[..<hash.lowerBound]) }
            result[String(trimmed[..<equals])] = value.trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    static func keystoneListening() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(5000).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// A `disco-sm` configured for the real cloud, on a free port with a fresh state directory.
    static func startServer(pollInterval: Double = 1) async throws -> (ServerProcess, URL) {
        let v = try variables()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-real-\(UUID().uuidString)")
        let port = ServerProcess.freePort()
        let config = state.appendingPathComponent("sm.cfg")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try """
            [service_manager]
            design_uri = \(v["OS_AUTH_URL"] ?? "")
            port = \(port)
            state_directory = \(state.path)/state
            [disco]
            cloud = openstack
            poll_interval = \(pollInterval)
            default_image = ubuntu-22.04
            default_flavor = m1.large
            default_external_network = public

            """.write(to: config, atomically: true, encoding: .utf8)
        return (try await ServerProcess(arguments: ["-c", config.path], port: port), state)
    }
}

/// The openrc's user talking to the real APIs directly, to check what DISCO made (and left behind).
struct RealAPI: Sendable {
    let token: AuthToken
    let transport = URLSessionTransport()

    static func login() async throws -> RealAPI {
        let v = try RealOpenStack.variables()
        let authURL = try #require(URL(string: v["OS_AUTH_URL"] ?? ""))
        let user = try #require(v["OS_USERNAME"]), password = try #require(v["OS_PASSWORD"]), project = try #require(v["OS_PROJECT_NAME"])
        let keystone = KeystoneClient(authURL: authURL, transport: URLSessionTransport())
        let token = try await keystone.authenticate(.password(user: .name(user), password: password, project: .name(project)))
        return RealAPI(token: token)
    }

    var projectID: String { token.principal.projectID }
    var userID: String { token.principal.userID }

    /// `method` on the `type` service's catalog endpoint; the status and the parsed body (`.null` when empty).
    func call(_ method: String, _ type: String, _ path: String, body: JSONValue? = nil,
              headers: [(name: String, value: String)] = [("OpenStack-API-Version", "compute 2.79")]) async throws -> (Int, JSONValue) {
        let base = try #require(token.catalog.endpoint(type: type, region: "RegionOne"))
        let url = try #require(URL(string: base.absoluteString + path))
        var request = HTTPRequest(method: method, url: url,
                                  headers: [("X-Auth-Token", token.value), ("Accept", "application/json")] + headers, timeout: 30)
        if let body {
            request.body = body.data()
            request.headers.append(("Content-Type", "application/json"))
        }
        let response = try await transport.send(request)
        return (response.status, (try? JSONValue.parse(response.body)) ?? .null)
    }

    func get(_ type: String, _ path: String) async throws -> JSONValue {
        let (status, json) = try await call("GET", type, path)
        guard (200..<300).contains(status) else { throw ProcessFailure("GET \(type) \(path): \(status) \(json.jsonText.prefix(300))") }
        return json
    }

    /// What the project owns, by kind, as names/ids (the shared external network and its subnet are not the project's).
    func inventory() async throws -> [String: Set<String>] {
        func names(_ json: JSONValue, _ key: String, _ field: String = "id") -> Set<String> {
            Set((json[key]?.arrayValue ?? []).compactMap { $0[field]?.stringValue })
        }
        let project = "?project_id=\(projectID)"
        var result: [String: Set<String>] = [:]
        result["stacks"] = names(try await get("orchestration", "/stacks"), "stacks", "stack_name")
        result["servers"] = names(try await get("compute", "/servers"), "servers", "name")
        result["keypairs"] = Set((try await get("compute", "/os-keypairs")["keypairs"]?.arrayValue ?? []).compactMap { $0["keypair"]?["name"]?.stringValue })
        result["networks"] = names(try await get("network", "/v2.0/networks\(project)"), "networks", "name")
        result["subnets"] = names(try await get("network", "/v2.0/subnets\(project)"), "subnets")
        result["ports"] = names(try await get("network", "/v2.0/ports\(project)"), "ports")
        result["routers"] = names(try await get("network", "/v2.0/routers\(project)"), "routers")
        result["floatingips"] = names(try await get("network", "/v2.0/floatingips\(project)"), "floatingips", "floating_ip_address")
        result["security_groups"] = Set(names(try await get("network", "/v2.0/security-groups\(project)"), "security_groups", "name")
            .filter { $0 != "default" })
        let credentials = try await get("identity", "/users/\(userID)/application_credentials")
        result["application_credentials"] = names(credentials, "application_credentials", "name").filter { $0.hasPrefix("disco-") && !$0.hasPrefix("disco-it-") }
        return result
    }

    /// The servers of the project whose names start with `prefix`, with their status.
    func servers(prefix: String) async throws -> [String: String] {
        let json = try await get("compute", "/servers/detail")
        var result: [String: String] = [:]
        for server in json["servers"]?.arrayValue ?? [] {
            guard let name = server["name"]?.stringValue, name.hasPrefix(prefix) else { continue }
            result[name] = server["status"]?.stringValue ?? ""
        }
        return result
    }
}

/// Plays the clusters' install scripts, which the fake virt driver never runs: once a stack's `install_wait`
/// is waiting, it reads the components from its metadata and the `signal` credentials from `install_handle` (what
/// Heat puts in the user data) and sends one SUCCESS signal per worker and one per component with the prelude's own
/// `disco_signal`, which mints its token from them as a node does.
actor HeatSignaller {
    let api: RealAPI
    private var done: Set<String> = []
    private var task: Task<Void, Never>?
    /// When each stack was signalled, by stack name.
    private(set) var signalledAt: [String: Date] = [:]
    private(set) var failures: [String] = []

    init(api: RealAPI) { self.api = api }

    func start() {
        task = Task { [weak self] in
            while !Task.isCancelled {
                await self?.pass()
                try? await Task.sleep(nanoseconds: 300_000_000)
            }
        }
    }

    func stop() { task?.cancel() }

    func pass() async {
        guard let stacks = try? await api.get("orchestration", "/stacks")["stacks"]?.arrayValue else { return }
        for stack in stacks {
            // A create, and each update (a scale that adds workers waits for their signals).
            guard let name = stack["stack_name"]?.stringValue, let id = stack["id"]?.stringValue,
                  let status = stack["stack_status"]?.stringValue, ["CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS"].contains(status)
            else { continue }
            let round = "\(id)/\(stack["updated_time"]?.stringValue ?? "created")"
            guard !done.contains(round) else { continue }
            do {
                if try await signal(name: name, id: id, round: round, waiting: status) { done.insert(round) }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
    }

    /// Signals the stack once its wait condition is waiting (`CREATE_IN_PROGRESS` or `UPDATE_IN_PROGRESS`); false when
    /// it is not waiting yet. Each round's worker signals have ids of their own, as new servers' do.
    private func signal(name: String, id: String, round: String, waiting: String) async throws -> Bool {
        let base = "/stacks/\(name)/\(id)/resources"
        let (status, wait) = try await api.call("GET", "orchestration", base + "/install_wait")
        guard status == 200, wait["resource"]?["resource_status"]?.stringValue == waiting else { return false }
        let metadata = try await api.get("orchestration", base + "/install_wait/metadata")
        let components = (metadata["metadata"]?["disco"]?["components"]?.arrayValue ?? []).compactMap(\.stringValue)
        let attributes = try await api.get("orchestration", base + "/install_handle")["resource"]?["attributes"]
        // A stack of an older DISCO (TOKEN_SIGNAL) in the shared project: not this test's, left to its own signaller.
        if attributes?["signal"]?.stringValue == "null", attributes?["token"]?.stringValue != nil { return true }
        guard let signal = attributes?["signal"]?.stringValue, signal.contains("alarm_url"), !components.isEmpty else {
            throw ProcessFailure("no signal credentials on install_handle, or no components: \(attributes?["signal"]?.jsonText.prefix(100) ?? "nil")")
        }
        let shown = try await api.get("orchestration", "/stacks/\(name)/\(id)?resolve_outputs=false")
        let workers = Int(shown["stack"]?["parameters"]?["worker_count"]?.stringValue ?? "") ?? 0
        // An update (a scale) hears from the workers only: the master's components signalled at the create.
        let signals = (0..<workers).map { (id: "worker@\(round)-\($0)", reason: "worker \($0) installed") }
            + (waiting == "CREATE_IN_PROGRESS" ? components.map { (id: $0, reason: "\($0) ready") } : [])
        let run = try await InstallScript.run(signal: signal, signals.map {
            "disco_signal SUCCESS \(ShellQuoting.quote($0.id)) \(ShellQuoting.quote($0.reason)) \(ShellQuoting.quote($0.reason))"
        }.joined(separator: "\n"))
        guard run.termination == .exited(0), !run.output.contains("WARNING: could not deliver") else {
            throw ProcessFailure("signals of \(name): \(run.termination)\n\(run.output.suffix(1000))")
        }
        if waiting == "CREATE_IN_PROGRESS" { signalledAt[name] = Date() }
        return true
    }
}
