public import DiscoCore
public import Foundation

/// An in-memory OpenStack cloud that answers the real HTTP shapes of Keystone v3, Heat v1, Nova, Neutron and
/// Glance v2, as an ``HTTPTransport``; DISCO's embedded default, so the real client code runs end to end.
///
/// Stacks progress on a timeline driven by the ``DiscoCore/DiscoClock``: each operation schedules its events
/// (resource `CREATE_IN_PROGRESS` → `CREATE_COMPLETE`, wait condition signals, …) at future times, and every
/// request first applies what is due. With ``Timing/instant`` everything completes at once; with a
/// `ManualClock` tests step through time.
///
/// ```swift
/// let sim = SimulatedCloud(configuration: .init(timing: .instant))
/// let provider = OpenStackCloudProvider.simulated(sim)
/// sim.failNextRequests(to: .orchestration, count: 2)   // a 503 burst
/// ```
public final class SimulatedCloud: HTTPTransport, @unchecked Sendable {
    /// The fake host of every endpoint.
    /// The base URL of the simulated services when none is given (only reachable through this transport).
    public static let defaultHost = "http://sim.invalid"
    /// The base URL the service catalog and links point at.
    public let host: String
    /// The region of the catalog.
    public static let region = "RegionOne"

    /// A user of the simulated Keystone.
    public struct User: Sendable, Hashable {
        public var id: String
        public var name: String
        public var password: String
        public var domain: String
        public var projectID: String
        public var projectName: String
        public var roles: [String]

        public init(id: String? = nil, name: String, password: String, domain: String = "Default",
                    projectID: String? = nil, projectName: String, roles: [String] = ["member", "heat_stack_owner"]) {
            self.id = id ?? SimulatedCloud.stableID("user-\(name)")
            self.name = name
            self.password = password
            self.domain = domain
            self.projectID = projectID ?? SimulatedCloud.stableID("project-\(projectName)")
            self.projectName = projectName
            self.roles = roles
        }
    }

    /// Project quotas (Nova instances/cores/RAM, Neutron floating IPs).
    public struct Quota: Sendable, Hashable {
        public var instances: Int
        public var cores: Int
        public var ramMB: Int
        public var floatingIPs: Int
        public init(instances: Int = 20, cores: Int = 40, ramMB: Int = 102_400, floatingIPs: Int = 10) {
            self.instances = instances
            self.cores = cores
            self.ramMB = ramMB
            self.floatingIPs = floatingIPs
        }
    }

    /// How long simulated work takes, in seconds of the clock.
    public struct Timing: Sendable, Hashable {
        /// A plain resource (network, port, key pair, …).
        public var resource: Double
        /// A server (each member of a group too; members boot in parallel).
        public var server: Double
        /// Between two wait condition signals (the first comes this long after the servers are up).
        public var signal: Double
        /// A whole stack delete.
        public var delete: Double
        /// A whole suspend, resume or check.
        public var action: Double
        /// From the last resource's completion to the stack's (real Heat finishes nested stacks and the traversal
        /// meanwhile).
        public var completion: Double
        /// From a group's last member's completion to the group's (real Heat completes the group's nested stack
        /// meanwhile; the members' install signals do not wait for it).
        public var groupCompletion: Double

        public init(resource: Double = 1, server: Double = 3, signal: Double = 1, delete: Double = 3, action: Double = 2,
                    completion: Double = 0, groupCompletion: Double = 0) {
            self.resource = resource
            self.server = server
            self.signal = signal
            self.delete = delete
            self.action = action
            self.completion = completion
            self.groupCompletion = groupCompletion
        }

        /// About ten seconds for a typical cluster stack.
        public static let realistic = Timing()

        /// ``realistic`` scaled so that a typical cluster stack takes about `readySeconds`.
        public static func realistic(readySeconds: Double) -> Timing {
            let scale = readySeconds / 10
            let t = realistic
            return Timing(resource: t.resource * scale, server: t.server * scale, signal: t.signal * scale,
                          delete: t.delete * scale, action: t.action * scale, completion: t.completion * scale,
                          groupCompletion: t.groupCompletion * scale)
        }
        /// Everything completes at the moment it is asked for.
        public static let instant = Timing(resource: 0, server: 0, signal: 0, delete: 0, action: 0)
    }

    /// What the simulated cloud offers.
    public struct Configuration: Sendable {
        public var users: [User]
        public var images: [Image]
        public var flavors: [Flavor]
        /// External networks (floating IP pools) by name.
        public var externalNetworks: [String]
        public var quota: Quota
        /// Token lifetime in seconds.
        public var tokenLifetime: Double
        public var timing: Timing
        /// Whether application-credential tokens may make Heat manage a stack's trust (create and delete do).
        public var delegatedTrusts: DelegatedTrustPolicy = .allowed
        /// Purged stacks stay findable by id (DELETE_COMPLETE, as Heat's soft-deleted ones) until this many newer ones
        /// were purged; then they are forgotten, as `heat-manage purge_deleted` would.
        public var maxPurgedStacks = 1_000
        /// Expired tokens are swept out when this many tokens are kept (then at twice the number left, at least this).
        public var tokenSweepThreshold = 1_024

        public init(users: [User] = [User(name: "demo", password: "demo", projectName: "demo")],
                    images: [Image] = ["ubuntu-22.04", "ubuntu-24.04", "debian-12"].map {
                        Image(id: SimulatedCloud.stableID("image-\($0)"), name: $0)
                    },
                    flavors: [Flavor] = [
                        Flavor(id: "1", name: "m1.small", vcpus: 1, ramMB: 2048, diskGB: 20),
                        Flavor(id: "2", name: "m1.medium", vcpus: 2, ramMB: 4096, diskGB: 40),
                        Flavor(id: "3", name: "m1.large", vcpus: 4, ramMB: 8192, diskGB: 80),
                        Flavor(id: "4", name: "m1.xlarge", vcpus: 8, ramMB: 16384, diskGB: 160),
                    ],
                    externalNetworks: [String] = ["public"], quota: Quota = Quota(), tokenLifetime: Double = 3600,
                    timing: Timing = .realistic) {
            self.users = users
            self.images = images
            self.flavors = flavors
            self.externalNetworks = externalNetworks
            self.quota = quota
            self.tokenLifetime = tokenLifetime
            self.timing = timing
        }
    }

    /// How Keystone treats trust management with tokens from application credentials.
    public enum DelegatedTrustPolicy: Sendable {
        /// Any token may: Keystone with `[security_compliance] allow_insecure_application_credential_trust_escalation
        /// = true` (the simulator's default, so that a restarted DISCO resumes creates).
        case allowed
        /// No delegated token may ("Delegated tokens cannot manage trusts", Keystone's default since LP#2150089):
        /// Heat fails a create with such a token, and a delete removes the stack but leaves its trust.
        case refused
        /// Only unrestricted application credentials may (Keystone releases before that fix).
        case unrestrictedOnly
    }

    /// The services, for fault injection.
    public enum Service: String, Sendable, Hashable, CaseIterable {
        case identity, orchestration, compute, network, image
        var prefix: String {
            switch self {
            case .identity: "/identity"
            case .orchestration: "/heat"
            case .compute: "/compute"
            case .network: "/network"
            case .image: "/image"
            }
        }
    }

    /// One request the simulated cloud answered.
    public struct RequestRecord: Sendable, Hashable {
        public var service: Service?
        public var method: String
        public var path: String
        /// The query string, without `?` (empty when there is none).
        public var query = ""
        public var status: Int
        /// Whether it carried an application credential's token (rather than a user's own).
        public var byCredential = false
    }

    public let configuration: Configuration
    public let clock: any DiscoClock
    let lock = NSLock()
    var state = State()

    /// - Parameters:
    ///   - configuration: users, inventory, quotas, token lifetime, timing.
    ///   - clock: drives stack progress and token expiry (a `ManualClock` in tests).
    ///   - host: the base URL the catalog points at; set it to where ``SimulatedCloud`` is served over HTTP.
    public init(configuration: Configuration = Configuration(), clock: any DiscoClock = SystemClock(),
                host: String = SimulatedCloud.defaultHost) {
        self.configuration = configuration
        self.clock = clock
        self.host = host.hasSuffix("/") ? String(host.dropLast()) : host
    }

    /// The Keystone URL to give clients.
    public var authURL: URL { URL(string: host + "/identity/v3")! }

    // MARK: - Faults

    /// The next `count` requests to `service` answer `status` (503 by default).
    public func failNextRequests(to service: Service, count: Int, status: Int = 503) {
        lock.withLock { state.faults.bursts[service] = (count, status) }
    }

    /// The next `count` requests to `service` take effect, but their answers are lost: each caller waits out its
    /// request timeout and gets a timeout error (as when a request is cancelled or times out after reaching the cloud).
    public func loseNextAnswers(of service: Service, count: Int) {
        lock.withLock { state.faults.lostAnswers[service] = count }
    }

    /// Requests to `service` take effect at once and their answers come `seconds` later on the clock, as from a slow
    /// cloud: a caller that stops waiting meanwhile gets `CancellationError`, and the change stands. 0 turns it off.
    public func delayAnswers(of service: Service, seconds: Double) {
        lock.withLock { state.faults.answerDelays[service] = seconds > 0 ? seconds : nil }
    }

    /// Requests held by ``delayResponses(of:seconds:)`` right now.
    public var requestsHeld: Int { lock.withLock { state.requestsHeld } }

    /// Every response of `service` (all when `nil`) waits `seconds` on the clock first; 0 turns it off.
    public func delayResponses(of service: Service? = nil, seconds: Double) {
        lock.withLock { state.faults.delays[service?.rawValue ?? "*"] = seconds }
    }

    /// The next stack created with a resource named `resource` fails it: `CREATE_FAILED` with `reason`.
    public func failResource(named resource: String, reason: String) {
        lock.withLock { state.faults.failingResources[resource] = reason }
    }

    /// The next stack create runs over the compute quota (its first server fails with Nova's quota message).
    public func exceedQuotaOnNextCreate() {
        lock.withLock { state.faults.quotaOnNextCreate = true }
    }

    /// The next `POST /stacks` is rejected outright with `status` (413 by default) and a quota message.
    public func rejectNextCreate(status: Int = 413, message: String = "Quota exceeded for stacks: maximum of 512 stacks per project reached") {
        lock.withLock { state.faults.rejectCreate = (status, message) }
    }

    /// Deletes of the stack named `stackName` end in `DELETE_FAILED` (stack reason `Resource DELETE failed: <reason>`)
    /// until ``clearDeleteFailures()``.
    public func failDeletes(ofStack stackName: String, reason: String = "Conflict: resources.router_interface: Router interface is still in use") {
        lock.withLock { state.faults.failingDeletes[stackName] = reason }
    }

    /// Lets stuck deletes succeed again.
    public func clearDeleteFailures() { lock.withLock { state.faults.failingDeletes.removeAll() } }

    /// Every token issued so far expires now (the next use answers 401).
    public func expireAllTokens() {
        lock.withLock {
            let past = clock.now().addingTimeInterval(-1)
            for key in state.tokens.keys { state.tokens[key]?.expiresAt = past }
        }
    }

    /// How many answered requests ``requests`` keeps.
    public static let maxRecordedRequests = 10_000

    /// Every request answered so far (the most recent ``maxRecordedRequests``).
    public var requests: [RequestRecord] { lock.withLock { state.requests } }

    /// Requests answered since the simulator started (``requests`` keeps only the recent ones).
    public var requestsAnswered: Int { lock.withLock { state.requestsAnswered } }

    /// Requests answered since the simulator started, by service (e.g. what Keystone was asked, whatever else ran).
    public var requestsAnsweredByService: [Service: Int] { lock.withLock { state.requestsAnsweredByService } }

    /// Forgets the request log.
    public func clearRequests() { lock.withLock { state.requests.removeAll() } }

    /// Stacks that exist (not deleted), after applying what is due.
    public var stackNames: [String] {
        lock.withLock {
            advanceAll()
            return state.stacks.values.filter { !$0.isPurged }.map(\.name).sorted()
        }
    }

    /// How much the simulator keeps (for soak reports): tokens, application credentials, stacks (purged ones
    /// included) and recorded requests.
    public var bookkeeping: (tokens: Int, credentials: Int, stacks: Int, requests: Int) {
        lock.withLock { (state.tokens.count, state.credentials.count, state.stacks.count, state.requests.count) }
    }

    /// Heat trusts that exist: one per created stack, until a delete allowed to remove it.
    public var trustCount: Int { lock.withLock { state.trusts.count } }

    /// Application credentials that exist.
    public var applicationCredentialCount: Int { lock.withLock { state.credentials.count } }

    /// The names of the application credentials that exist, sorted.
    public var applicationCredentialNames: [String] { lock.withLock { state.credentials.values.map(\.name).sorted() } }

    // MARK: - HTTPTransport

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.port == Self.statusPort { return try lock.withLock { try statusService(request) } }
        let path = request.url.path
        let service = Service.allCases.first { path.hasPrefix($0.prefix + "/") || path == $0.prefix }
        let delay = lock.withLock { state.faults.delays[service?.rawValue ?? ""] ?? state.faults.delays["*"] ?? 0 }
        if delay > 0 {
            lock.withLock { state.requestsHeld += 1 }
            defer { lock.withLock { state.requestsHeld -= 1 } }
            let timeout = request.timeout
            if delay >= timeout {
                try await clock.sleep(seconds: timeout)
                throw TransportError(isTimeout: true, message: "\(request.method) \(request.url.absoluteString): timed out after \(timeout) s")
            }
            try await clock.sleep(seconds: delay)
        }
        var answerDelay = 0.0
        let (response, answerLost) = lock.withLock {
            let byCredential = request.header("X-Auth-Token").flatMap { state.tokens[$0]?.applicationCredentialID } != nil
            let response = handle(request, service: service)
            state.requests.append(RequestRecord(service: service, method: request.method, path: path,
                                                query: request.url.query ?? "", status: response.status, byCredential: byCredential))
            state.requestsAnswered += 1
            if let service { state.requestsAnsweredByService[service, default: 0] += 1 }
            // A long-running simulation keeps only the most recent requests.
            if state.requests.count > Self.maxRecordedRequests { state.requests.removeFirst(state.requests.count / 2) }
            answerDelay = service.flatMap { state.faults.answerDelays[$0] } ?? 0
            guard let service, let lost = state.faults.lostAnswers[service], lost > 0 else { return (response, false) }
            state.faults.lostAnswers[service] = lost > 1 ? lost - 1 : nil
            return (response, true)
        }
        if answerLost {
            try await clock.sleep(seconds: request.timeout)
            throw TransportError(isTimeout: true, message: "\(request.method) \(request.url.absoluteString): timed out after \(request.timeout) s")
        }
        if answerDelay > 0 { try await clock.sleep(seconds: answerDelay) }
        return response
    }

    private func handle(_ request: HTTPRequest, service: Service?) -> HTTPResponse {
        guard let service else { return Self.text(404, "404 Not Found: no simulated service at \(request.url.path)") }
        if var burst = state.faults.bursts[service], burst.count > 0 {
            burst.count -= 1
            state.faults.bursts[service] = burst.count > 0 ? burst : nil
            return Self.serviceUnavailable(service, status: burst.status)
        }
        let rest = String(request.url.path.dropFirst(service.prefix.count))
        let query = Self.query(request.url)
        switch service {
        case .identity: return identity(request, path: rest)
        default:
            guard let token = authenticated(request) else {
                return Self.json(401, ["error": ["code": 401, "title": "Unauthorized",
                                                 "message": "The request you have made requires authentication."]])
            }
            advanceAll()
            switch service {
            case .orchestration: return heat(request, path: rest, query: query, token: token)
            case .compute: return compute(request, path: rest, token: token)
            case .network: return network(request, path: rest, query: query, token: token)
            case .image: return image(request, path: rest, query: query)
            case .identity: return Self.text(404, "")
            }
        }
    }

    // MARK: - Helpers

    /// A deterministic UUID-shaped id for `seed` (ids of default users, projects, images, networks).
    public static func stableID(_ seed: String) -> String {
        // A deterministic UUID-shaped id from a seed (FNV-1a, twice).
        var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
        for byte in seed.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x100000001b3 &+ 7
        }
        let hex = String(format: "%016llx%016llx", a, b)
        let chars = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
    }

    static func uuid() -> String { UUID().uuidString.lowercased() }

    static func randomToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 132)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "gAAAAAB" + text
    }

    static func query(_ url: URL) -> [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [] {
            result[item.name] = item.value ?? ""
        }
        return result
    }

    static func json(_ status: Int, _ body: JSONValue, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body.data())
    }

    static func text(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: Data(body.utf8))
    }

    static func serviceUnavailable(_ service: Service, status: Int) -> HTTPResponse {
        switch service {
        case .orchestration:
            return json(status, ["code": .int(status), "title": "Service Unavailable",
                                 "explanation": "The server is currently unavailable. Please try again at a later time.",
                                 "error": ["type": "ServiceUnavailable", "message": "Simulated outage", "traceback": nil]])
        case .network:
            return json(status, ["NeutronError": ["type": "ServiceUnavailable", "message": "Simulated outage", "detail": ""]])
        case .compute:
            return json(status, ["computeFault": ["code": .int(status), "message": "Simulated outage"]])
        default:
            return json(status, ["error": ["code": .int(status), "title": "Service Unavailable", "message": "Simulated outage"]])
        }
    }

    /// Heat's error body.
    static func heatError(_ status: Int, type: String, message: String) -> HTTPResponse {
        let (title, explanation): (String, String) = switch status {
        case 400: ("Bad Request", "The server could not comply with the request since it is either malformed or otherwise incorrect.")
        case 404: ("Not Found", "The resource could not be found.")
        case 409: ("Conflict", "There was a conflict when trying to complete your request.")
        case 413: ("Request Entity Too Large", "The request is too large or exceeds a limit.")
        default: ("Error", "The server has either erred or is incapable of performing the requested operation.")
        }
        return json(status, ["code": .int(status), "title": .string(title), "explanation": .string(explanation),
                             "error": ["type": .string(type), "message": .string(message), "traceback": nil]])
    }

    static func keystoneError(_ status: Int, _ title: String, _ message: String) -> HTTPResponse {
        json(status, ["error": ["code": .int(status), "title": .string(title), "message": .string(message)]])
    }

    // MARK: - Identity

    /// A user of the configuration, or one Heat made for a stack (a wait condition handle's signal user).
    func knownUser(id: String) -> User? {
        configuration.users.first { $0.id == id } ?? state.stackUsers[id]
    }

    func authenticated(_ request: HTTPRequest) -> Token? {
        guard let value = request.header("X-Auth-Token"), let token = state.tokens[value],
              token.expiresAt > clock.now() else { return nil }
        return token
    }

    func catalog(projectID: String) -> JSONValue {
        let services: [(String, String, String)] = [
            ("identity", "keystone", host + "/identity/v3"),
            ("orchestration", "heat", host + "/heat/v1/\(projectID)"),
            ("compute", "nova", host + "/compute/v2.1"),
            ("network", "neutron", host + "/network"),
            ("image", "glance", host + "/image"),
        ]
        return .array(services.map { type, name, url in
            ["type": .string(type), "name": .string(name), "id": .string(Self.stableID("service-\(type)")),
             "endpoints": .array(["public", "internal", "admin"].map { interface in
                 ["id": .string(Self.stableID("endpoint-\(type)-\(interface)")), "interface": .string(interface),
                  "region": .string(Self.region), "region_id": .string(Self.region), "url": .string(url)]
             })]
        })
    }

    func tokenBody(_ token: Token, includeCatalog: Bool = true) -> JSONValue {
        guard let user = knownUser(id: token.userID) else { return .null }
        var body: [String: JSONValue] = [
            "methods": .array(token.methods.map(JSONValue.string)),
            "user": ["id": .string(user.id), "name": .string(user.name), "password_expires_at": nil,
                     "domain": ["id": user.domain == "Default" ? "default" : .string(user.domain), "name": .string(user.domain)]],

            "roles": .array(user.roles.map { ["id": .string(Self.stableID("role-\($0)")), "name": .string($0)] }),
            "is_domain": false,
            "issued_at": .string(OpenStackDate.keystone(token.issuedAt)),
            "expires_at": .string(OpenStackDate.keystone(token.expiresAt)),
            "audit_ids": [.string(String(token.value.suffix(22)))],
        ]
        let domain: JSONValue = ["id": user.domain == "Default" ? "default" : .string(user.domain), "name": .string(user.domain)]
        if token.projectID.isEmpty {
            body["domain"] = domain
        } else {
            body["project"] = ["id": .string(user.projectID), "name": .string(user.projectName), "domain": domain]
        }
        if let credential = token.applicationCredentialID {
            body["application_credential"] = ["id": .string(credential), "name": .string(state.credentials[credential]?.name ?? ""),
                                              "restricted": true]
        }
        if includeCatalog && !token.projectID.isEmpty { body["catalog"] = catalog(projectID: user.projectID) }
        return ["token": .object(body)]
    }

    /// A token of `user`, scoped to its project unless `projectScoped` is false (a domain-scoped token: no project).
    func issue(user: User, methods: [String], applicationCredentialID: String? = nil, expiresAt: Date? = nil,
               projectScoped: Bool = true) -> HTTPResponse {
        let now = clock.now()
        var expiry = now.addingTimeInterval(configuration.tokenLifetime)
        if let expiresAt, expiresAt < expiry { expiry = expiresAt }
        let token = Token(value: Self.randomToken(), userID: user.id, projectID: projectScoped ? user.projectID : "", methods: methods,
                          issuedAt: now, expiresAt: expiry, applicationCredentialID: applicationCredentialID)
        state.tokens[token.value] = token
        if state.tokens.count >= state.tokenSweepAt ?? configuration.tokenSweepThreshold {
            // An expired token answers as an unknown one does, so forgetting it changes nothing but memory.
            state.tokens = state.tokens.filter { $0.value.expiresAt > now }
            state.tokenSweepAt = max(configuration.tokenSweepThreshold, state.tokens.count * 2)
        }
        return Self.json(201, tokenBody(token), headers: [("X-Subject-Token", token.value)])
    }

    private func identity(_ request: HTTPRequest, path: String) -> HTTPResponse {
        let body = (try? JSONValue.parse(request.body)) ?? .null
        let parts = path.split(separator: "/").map(String.init)
        if request.method == "POST" && path == "/v3/auth/tokens" {
            return authenticate(body)
        }
        if request.method == "GET" && (path == "/v3" || path == "/v3/") {
            return Self.json(200, ["version": ["id": "v3.14", "status": "stable"]])
        }
        if request.method == "GET" && path == "/v3/auth/tokens" {
            guard authenticated(request) != nil else {
                return Self.keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
            }
            guard let subject = request.header("X-Subject-Token"), let token = state.tokens[subject],
                  token.expiresAt > clock.now() else {
                return Self.keystoneError(404, "Not Found", "Could not find token: \(request.header("X-Subject-Token") ?? "").")
            }
            return Self.json(200, tokenBody(token, includeCatalog: Self.query(request.url)["nocatalog"] == nil),
                             headers: [("X-Subject-Token", token.value)])
        }
        // /v3/users/{id}/application_credentials[/{id}]
        if parts.count >= 4, parts[0] == "v3", parts[1] == "users", parts[3] == "application_credentials" {
            guard let token = authenticated(request) else {
                return Self.keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
            }
            let userID = parts[2]
            guard token.userID == userID else {
                return Self.keystoneError(403, "Forbidden", "You are not authorized to perform the requested action: identity:create_application_credential.")
            }
            // As real Keystone: a restricted application credential can neither make nor delete credentials.
            if request.method == "DELETE" && parts.count == 5 && !mayManageDelegation(token) {
                return Self.keystoneError(403, "Forbidden", "Using method 'application_credential' is not allowed for managing additional application credentials.")
            }
            if request.method == "GET" && parts.count == 4 {
                let name = Self.query(request.url)["name"]
                let listed = state.credentials.values.filter { $0.userID == userID && (name == nil || $0.name == name) }
                    .sorted { $0.name < $1.name }
                return Self.json(200, ["application_credentials": .array(listed.map { credential in
                    ["id": .string(credential.id), "name": .string(credential.name), "project_id": .string(credential.projectID),
                     "expires_at": credential.expiresAt.map { .string(OpenStackDate.keystone($0)) } ?? nil,
                     "unrestricted": .bool(credential.unrestricted)]
                })])
            }
            if request.method == "POST" && parts.count == 4 {
                if !mayManageDelegation(token) {
                    return Self.keystoneError(403, "Forbidden", "Using method 'application_credential' is not allowed for managing additional application credentials.")
                }
                guard let spec = body["application_credential"], let name = spec["name"]?.stringValue else {
                    return Self.keystoneError(400, "Bad Request", "Invalid input for field 'application_credential': 'name' is a required property")
                }
                if state.credentials.values.contains(where: { $0.userID == userID && $0.name == name }) {
                    return Self.keystoneError(409, "Conflict", "Conflict occurred attempting to store application_credential - Duplicate entry found with name \(name).")
                }
                let credential = Credential(id: Self.uuid().replacingOccurrences(of: "-", with: ""), name: name,
                                            secret: Self.randomToken().suffix(43).description, userID: userID,
                                            projectID: token.projectID,
                                            expiresAt: OpenStackDate.parse(spec["expires_at"]?.stringValue),
                                            unrestricted: spec["unrestricted"]?.boolValue ?? false)
                state.credentials[credential.id] = credential
                let user = configuration.users.first { $0.id == userID }
                return Self.json(201, ["application_credential": [
                    "id": .string(credential.id), "name": .string(name), "secret": .string(credential.secret),
                    "description": spec["description"] ?? nil, "project_id": .string(credential.projectID),
                    "expires_at": credential.expiresAt.map { .string(OpenStackDate.keystone($0)) } ?? nil,
                    "unrestricted": .bool(credential.unrestricted), "access_rules": [],
                    "roles": .array((user?.roles ?? []).map { ["id": .string(Self.stableID("role-\($0)")), "name": .string($0)] }),
                    "links": ["self": .string(host + "/identity/v3/users/\(userID)/application_credentials/\(credential.id)")],
                ]])
            }
            if request.method == "DELETE" && parts.count == 5 {
                let id = parts[4]
                guard state.credentials[id]?.userID == userID else {
                    return Self.keystoneError(404, "Not Found", "Could not find application credential: \(id).")
                }
                state.credentials[id] = nil
                state.tokens = state.tokens.filter { $0.value.applicationCredentialID != id }
                return HTTPResponse(status: 204)
            }
        }
        return Self.keystoneError(404, "Not Found", "The resource could not be found.")
    }

    private func authenticate(_ body: JSONValue) -> HTTPResponse {
        let unauthorized = Self.keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
        guard let identity = body["auth"]?["identity"], let methods = identity["methods"]?.arrayValue?.compactMap(\.stringValue),
              let method = methods.first else {
            return Self.keystoneError(400, "Bad Request", "Invalid input for field 'identity': 'methods' is a required property")
        }
        let scope = body["auth"]?["scope"]?["project"]
        func scopeMatches(_ user: User) -> Bool {
            guard let scope else { return true }
            if let id = scope["id"]?.stringValue { return id == user.projectID }
            return scope["name"]?.stringValue == user.projectName
        }
        switch method {
        case "password":
            let spec = identity["password"]?["user"] ?? .null
            let domainID = spec["domain"]?["id"]?.stringValue
            let domain: String = spec["domain"]?["name"]?.stringValue ?? (domainID == "default" ? "Default" : domainID ?? "Default")
            let name = spec["name"]?.stringValue
            let candidates: [User] = configuration.users + Array(state.stackUsers.values)
            let user: User? = spec["id"]?.stringValue.flatMap { knownUser(id: $0) } ?? candidates.first { $0.name == name && $0.domain == domain }
            guard let user, spec["password"]?.stringValue == user.password else { return unauthorized }
            guard scopeMatches(user) else {
                return Self.keystoneError(401, "Unauthorized", "User \(user.id) has no access to project \(scope?["id"]?.stringValue ?? scope?["name"]?.stringValue ?? "")")
            }
            // A domain scope (and no project) gives a token without a project, as Keystone does.
            return issue(user: user, methods: ["password"], projectScoped: scope != nil || body["auth"]?["scope"]?["domain"] == nil)
        case "application_credential":
            let spec = identity["application_credential"] ?? .null
            guard let id = spec["id"]?.stringValue, let credential = state.credentials[id],
                  credential.secret == spec["secret"]?.stringValue,
                  let user = configuration.users.first(where: { $0.id == credential.userID }) else { return unauthorized }
            if let expiry = credential.expiresAt, expiry <= clock.now() { return unauthorized }
            return issue(user: user, methods: ["application_credential"], applicationCredentialID: id,
                         expiresAt: credential.expiresAt)
        case "token":
            guard let value = identity["token"]?["id"]?.stringValue, let token = state.tokens[value],
                  token.expiresAt > clock.now(),
                  let user = knownUser(id: token.userID), scopeMatches(user) else {
                return unauthorized
            }
            return issue(user: user, methods: token.methods + ["token"], applicationCredentialID: token.applicationCredentialID,
                         expiresAt: token.expiresAt)
        default:
            return Self.keystoneError(401, "Unauthorized", "Attempted to authenticate with an unsupported method.")
        }
    }

    // MARK: - Compute, network, image

    func flavor(_ reference: String) -> Flavor? {
        configuration.flavors.first { $0.id == reference } ?? configuration.flavors.first { $0.name == reference }
    }

    func externalNetworkID(_ name: String) -> String { Self.stableID("network-\(name)") }

    func externalNetwork(_ reference: String) -> String? {
        configuration.externalNetworks.first { $0 == reference || externalNetworkID($0) == reference }
    }

    private func compute(_ request: HTTPRequest, path: String, token: Token) -> HTTPResponse {
        guard request.method == "GET" else {
            return Self.json(405, ["badRequest": ["code": 405, "message": "Method not allowed in the simulated cloud"]])
        }
        switch path {
        case "/v2.1/flavors/detail", "/v2.1/flavors":
            return Self.json(200, ["flavors": .array(configuration.flavors.map {
                ["id": .string($0.id), "name": .string($0.name), "vcpus": .int($0.vcpus), "ram": .int($0.ramMB),
                 "disk": .int($0.diskGB), "OS-FLV-EXT-DATA:ephemeral": 0, "swap": "", "rxtx_factor": .double(1.0),
                 "os-flavor-access:is_public": true,
                 "links": [["rel": "self", "href": .string(host + "/compute/v2.1/flavors/\($0.id)")]]]
            })])
        case "/v2.1/limits":
            let used = usage(projectID: token.projectID)
            let quota = configuration.quota
            return Self.json(200, ["limits": ["rate": [], "absolute": [
                "maxTotalInstances": .int(quota.instances), "totalInstancesUsed": .int(used.instances),
                "maxTotalCores": .int(quota.cores), "totalCoresUsed": .int(used.cores),
                "maxTotalRAMSize": .int(quota.ramMB), "totalRAMUsed": .int(used.ramMB),
                "maxTotalKeypairs": 100, "maxServerMeta": 128, "maxImageMeta": 128, "maxPersonality": 5,
                "maxPersonalitySize": 10240, "maxSecurityGroups": 10, "maxSecurityGroupRules": 20,
                "maxTotalFloatingIps": .int(quota.floatingIPs), "totalFloatingIpsUsed": .int(used.floatingIPs),
                "maxServerGroups": 10, "maxServerGroupMembers": 10, "totalServerGroupsUsed": 0,
                "totalSecurityGroupsUsed": 0,
            ]]])
        default:
            return Self.json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
        }
    }

    private func network(_ request: HTTPRequest, path: String, query: [String: String], token: Token) -> HTTPResponse {
        let notFound = Self.json(404, ["NeutronError": ["type": "HTTPNotFound", "message": "The resource could not be found.", "detail": ""]])
        guard request.method == "GET" else { return notFound }
        if path == "/v2.0/networks" || path == "/v2.0/networks.json" {
            var networks: [JSONValue] = configuration.externalNetworks.map { name in
                ["id": .string(externalNetworkID(name)), "name": .string(name), "router:external": true, "shared": false,
                 "status": "ACTIVE", "admin_state_up": true, "subnets": [.string(Self.stableID("subnet-\(name)"))],
                 "project_id": .string(Self.stableID("project-admin")), "provider:network_type": "flat", "mtu": 1500]
            }
            if query["router:external"] != "true" {
                for stack in state.stacks.values where !stack.isPurged && stack.projectID == token.projectID {
                    for resource in stack.resources.values where resource.type == "OS::Neutron::Net" && resource.isCreated {
                        networks.append(["id": .string(resource.physicalID), "name": resource.attributes["name"] ?? "",
                                         "router:external": false, "shared": false, "status": "ACTIVE",
                                         "admin_state_up": true, "subnets": [], "project_id": .string(token.projectID)])
                    }
                }
            }
            if let name = query["name"] { networks = networks.filter { $0["name"]?.stringValue == name } }
            return Self.json(200, ["networks": .array(networks)])
        }
        if path.hasPrefix("/v2.0/quotas/") {
            let used = usage(projectID: token.projectID)
            let quota = configuration.quota
            return Self.json(200, ["quota": [
                "floatingip": ["limit": .int(quota.floatingIPs), "used": .int(used.floatingIPs), "reserved": 0],
                "network": ["limit": 100, "used": 0, "reserved": 0], "port": ["limit": 500, "used": 0, "reserved": 0],
                "router": ["limit": 10, "used": 0, "reserved": 0], "subnet": ["limit": 100, "used": 0, "reserved": 0],
                "security_group": ["limit": 10, "used": 1, "reserved": 0],
            ]])
        }
        return notFound
    }

    private func image(_ request: HTTPRequest, path: String, query: [String: String]) -> HTTPResponse {
        guard request.method == "GET", path == "/v2/images" else {
            return HTTPResponse(status: 404, headers: [("Content-Type", "text/html; charset=UTF-8")],
                                body: Data("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>The resource could not be found.<br /><br /></body></html>".utf8))
        }
        var images = configuration.images
        if let name = query["name"] { images = images.filter { $0.name == name } }
        return Self.json(200, ["images": .array(images.map {
            ["id": .string($0.id), "name": .string($0.name), "status": .string($0.status), "visibility": "public",
             "disk_format": "qcow2", "container_format": "bare", "min_disk": 0, "min_ram": 0, "protected": false,
             "self": .string("/v2/images/\($0.id)"), "file": .string("/v2/images/\($0.id)/file"), "schema": "/v2/schemas/image"]
        }), "first": "/v2/images", "schema": "/v2/schemas/images"])
    }

    /// Compute and floating IP usage of a project's live stacks.
    func usage(projectID: String, excluding stackID: String? = nil) -> Usage {
        var total = Usage()
        for stack in state.stacks.values where !stack.isPurged && stack.projectID == projectID && stack.id != stackID {
            total.add(stack.usage)
        }
        return total
    }
}

// MARK: - State

extension SimulatedCloud {
    struct Token: Sendable {
        var value: String
        var userID: String
        var projectID: String
        var methods: [String]
        var issuedAt: Date
        var expiresAt: Date
        var applicationCredentialID: String?
    }

    struct Credential: Sendable {
        var id: String
        var name: String
        var secret: String
        var userID: String
        var projectID: String
        var expiresAt: Date?
        var unrestricted = false
    }

    /// Whether `token` may make and delete application credentials: any but one of a restricted credential.
    func mayManageDelegation(_ token: Token) -> Bool {
        guard let id = token.applicationCredentialID else { return true }
        return state.credentials[id]?.unrestricted == true
    }

    /// Whether `token` may make Heat create or delete a trust, under the configured policy.
    func mayManageTrusts(_ token: Token) -> Bool {
        guard let id = token.applicationCredentialID else { return true }
        switch configuration.delegatedTrusts {
        case .allowed: return true
        case .refused: return false
        case .unrestrictedOnly: return state.credentials[id]?.unrestricted == true
        }
    }

    struct Usage: Sendable, Hashable {
        var instances = 0
        var cores = 0
        var ramMB = 0
        var floatingIPs = 0
        mutating func add(_ other: Usage) {
            instances += other.instances
            cores += other.cores
            ramMB += other.ramMB
            floatingIPs += other.floatingIPs
        }
    }

    struct Faults: Sendable {
        var bursts: [Service: (count: Int, status: Int)] = [:]
        var delays: [String: Double] = [:]
        var failingResources: [String: String] = [:]
        var quotaOnNextCreate = false
        var rejectCreate: (status: Int, message: String)?
        var failingDeletes: [String: String] = [:]
        var lostAnswers: [Service: Int] = [:]
        var answerDelays: [Service: Double] = [:]
    }

    struct State: Sendable {
        var tokens: [String: Token] = [:]
        var credentials: [String: Credential] = [:]
        var stacks = SimStackTable()
        var floatingNext = 0
        var sequence = 0
        var faults = Faults()
        var requests: [RequestRecord] = []
        var requestsHeld = 0
        var requestsAnswered = 0
        var requestsAnsweredByService: [Service: Int] = [:]
        /// Heat's trust per stack id (the trustor's user id), made at create and removed at delete when allowed.
        var trusts: [String: String] = [:]
        /// Ids of purged stacks, oldest first (see `maxPurgedStacks`).
        var purgedStacks: [String] = []
        /// Token count at which expired tokens are next swept out (``Configuration/tokenSweepThreshold`` at first).
        var tokenSweepAt: Int?
        /// Users Heat made in its stack domain for wait condition handles with `HEAT_SIGNAL`, by id.
        var stackUsers: [String: User] = [:]
        /// Health faults by stack name and node.
        var nodeFaults: [String: [String: NodeFaults]] = [:]
    }
}
