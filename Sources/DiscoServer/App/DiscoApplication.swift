import DiscoCore
import DiscoOCCI
import DiscoRuntime
import Foundation

/// The service manager's request handling: routing, authentication, OCCI and REST APIs, operations endpoints,
/// the dashboard; one log line and one metrics sample per request.
final class DiscoApplication: Sendable {
    let service: ClusterService
    /// Reads ready clusters' health; the `check` action asks it at once.
    let health: HealthMonitor
    let provider: any CloudProvider
    let catalog: ComponentCatalog
    let mapping: OCCIClusterMapping
    let authenticator: Authenticator
    /// Failed `POST /api/v1/tokens` per client address (password guesses; each may count towards a Keystone lockout).
    let signIns: RateLimiter
    /// Whether Keystone answers; see ``IdentityHealth``.
    let identity: IdentityHealth
    let metrics: Metrics
    let logger: Logger
    let dashboard: DashboardFiles
    /// Rendered single-cluster OCCI reads.
    let occiCache = OCCIEntityCache()
    /// Encoded REST views of clusters.
    let jsonCache = ClusterJSONCache()
    /// Open connections, when an HTTP server is attached (for metrics).
    let connectionCount: @Sendable () -> Int?
    /// The REST API's description, from the route table and the configured limits.
    let openAPIDocument: OpenAPIDocument
    /// Reverse proxies whose forwarded headers decide the scheme and host of absolute links.
    let trustedProxies: TrustedProxies
    /// What a create or plan that leaves a node's image or flavor, or the external network, out gets.
    let fallbacks: SpecFallbacks
    /// The `Host` names answered when ``checksHost``; others get 421 (DNS rebinding).
    let allowedHosts: HostAllowList
    /// Whether `Host` is checked against ``allowedHosts``: on a loopback listener, or when names are listed.
    let checksHost: Bool
    /// `/healthz` and `/metrics` need a valid token (`[service_manager] operations_require_token`).
    let operationsRequireToken: Bool

    init(service: ClusterService, health: HealthMonitor, provider: any CloudProvider, catalog: ComponentCatalog, fallbacks: SpecFallbacks,
         logger: Logger, clock: any DiscoClock = SystemClock(), dashboard: DashboardFiles = DashboardFiles(),
         connectionCount: @escaping @Sendable () -> Int? = { nil }, trustedProxies: TrustedProxies = TrustedProxies(),
         allowedHosts: HostAllowList = HostAllowList(), listenHost: String = "0.0.0.0", operationsRequireToken: Bool = false) {
        self.allowedHosts = allowedHosts
        self.checksHost = allowedHosts.restricts(listeningOn: listenHost)
        self.operationsRequireToken = operationsRequireToken
        self.service = service
        self.health = health
        self.provider = provider
        self.catalog = catalog
        self.fallbacks = fallbacks
        self.mapping = OCCIClusterMapping(defaults: fallbacks)
        self.identity = IdentityHealth(provider: provider, logger: logger)
        self.authenticator = Authenticator(provider: provider, identity: identity, clock: clock,
                                           signedIn: { service.checkCredentials(token: $0.token, principal: $0.principal) })
        self.signIns = RateLimiter(name: "failed sign-ins", burst: 20, interval: 3, clock: clock)
        self.metrics = Metrics(routeLabels: Self.router.labels)
        self.logger = logger
        self.dashboard = dashboard
        self.connectionCount = connectionCount
        self.trustedProxies = trustedProxies
        self.openAPIDocument = OpenAPIDocument(router: Self.router, limits: service.planner.options.limits, catalog: catalog,
                                               fallbacks: fallbacks)
    }

    /// Drops what was rendered for a cluster whose record is gone (``ClusterService/onRemoval(_:)``).
    func forget(_ id: String) {
        occiCache.remove(id)
        jsonCache.remove(id)
    }

    /// `Server: DISCO/<version> OCCI/1.1` on every response.
    static let serverHeader = OCCI.serverHeader(product: "DISCO", version: DiscoVersion.current)

    /// The server's entry point.
    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let (route, json, outcome) = if let refusal = misdirected(request) {
            (Self.router.label(for: request.path), Self.router.answersJSON(request.path), Result<HTTPServerResponse, APIError>.failure(refusal))
        } else {
            await Self.router.dispatch(request, application: self)
        }
        var response: HTTPServerResponse
        switch outcome {
        case let .success(ok): response = ok
        case let .failure(error): response = json ? error.jsonResponse : error.plainResponse
        }
        response.headers.set("Server", Self.serverHeader)
        response.headers.set("X-Request-ID", request.requestID)
        let elapsed = (ContinuousClock.now - request.startTime).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        metrics.record(route: route, method: request.method, status: response.status, seconds: seconds)
        let level: Logger.Level = response.status >= 500 ? .error : (route == "/healthz" || route == "/metrics" ? .debug : .info)
        guard logger.level <= level else { return response }
        var fields: [(key: String, value: String)] = []  // in key order
        fields.reserveCapacity(7)
        // The logger redacts every value and escapes its control characters: a path or error cannot forge a line.
        if case let .failure(error) = outcome { fields.append(("error", String(error.message.prefix(200)))) }
        fields.append(("method", request.method))
        fields.append(("ms", Self.milliseconds(seconds)))
        fields.append(("peer", request.remoteAddress))
        fields.append(("request.id", request.requestID))
        fields.append(("route", route))
        fields.append(("status", String(response.status)))
        logger.log(level, "request", sortedFields: fields)
        return response
    }

    /// Whether `request` is a quick read that may run on the HTTP event-loop thread (see
    /// ``HTTPServer/Configuration/runsOnEventLoop``): the route table's ``RouteOperation/isQuickRead``.
    static func isQuickRead(_ request: HTTPServerRequest) -> Bool {
        router.isQuickRead(request)
    }

    /// `seconds` in milliseconds with two decimals, as `String(format: "%.2f")` gives it (which is slow on Linux).
    static func milliseconds(_ seconds: Double) -> String {
        let hundredths = (seconds * 100_000).rounded()
        guard hundredths.isFinite, hundredths >= 0, hundredths < 1e15 else { return String(format: "%.2f", seconds * 1000) }
        let value = Int(hundredths)
        let fraction = value % 100
        return "\(value / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The 421 for a request whose `Host` this server does not answer to (see ``HostAllowList``), or `nil`.
    ///
    /// 421 Misdirected Request rather than 403: the request is not refused for who sent it but for the name it
    /// was sent to, and no token or permission would change that.
    func misdirected(_ request: HTTPServerRequest) -> APIError? {
        guard checksHost, let host = request.headers["Host"], !allowedHosts.allows(host) else { return nil }
        return APIError(status: 421, message: "this server does not answer to the host '\(host.prefix(100))': it serves "
                        + "localhost, 127.x.y.z, [::1] and the names in [service_manager] allowed_hosts (against DNS rebinding); "
                        + "an operator lists there the names a proxy or clients use")
    }

    /// The caller of an operations endpoint (`/healthz`, `/metrics`): verified when a token is sent or
    /// ``operationsRequireToken`` asks for one; `nil` for an anonymous request where none is needed.
    private func operationsCaller(_ request: HTTPServerRequest) async throws(APIError) -> Caller? {
        let sent = request.headers["X-Auth-Token"].map { !$0.trimmingOWS().isEmpty } ?? false
        guard sent || operationsRequireToken else { return nil }
        do {
            return try await authenticator.authenticate(request)
        } catch where error.status == 401 && operationsRequireToken {
            var explained = error
            explained.message = "\(request.path.prefix(20)) needs a token on this server ([service_manager] operations_require_token "
                + "= true): \(error.message)"
            throw explained
        }
    }

    func root(_ request: HTTPServerRequest) -> HTTPServerResponse {
        if request.headers["Accept"]?.contains("text/html") == true {
            return HTTPServerResponse(status: 302, headers: ["Location": "/dashboard/"])
        }
        return .text(200, """
            DISCO service manager
            OCCI query interface: /-/   clusters: /disco/   REST API: /api/v1/ (OpenAPI: /api/v1/openapi.json)
            dashboard: /dashboard/   health: /healthz   metrics: /metrics

            """)
    }

    /// `/healthz`: status, version, clusters by state and the start-up check for anyone; with a valid token also the
    /// cloud (its Keystone URL), what is wrong with the identity and cloud services, and orphans.
    func health(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await operationsCaller(request)
        let counts = await service.countsByState()
        // An anonymous probe is answered from the last background probe: it never makes a Keystone call.
        let identityProblem = caller == nil ? identity.lastProblem : await identity.currentProblem()
        let serviceProblems = provider.reachability.problems
        let status = identityProblem == nil && serviceProblems.isEmpty ? "ok" : "degraded"
        let clusters = Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
        let startupCheck = await service.isReconciledWithCloud ? "done" : "running"
        guard caller != nil else {
            // What a probe needs; the problems' text names URLs and hosts, and orphans name stacks.
            struct AnonymousHealth: Encodable {
                var status: String
                var version: String
                var clusters: [String: Int]
                var startupCheck: String
            }
            return JSONResponse.make(200, AnonymousHealth(status: status, version: DiscoVersion.current, clusters: clusters,
                                                          startupCheck: startupCheck))
        }
        struct Health: Encodable {
            /// `ok`, or `degraded` when the identity service does not answer as Keystone or a cloud service's last
            /// call got no working answer.
            var status: String
            var version: String
            var cloud: String
            /// `ok`, or what is wrong with the identity service (and what to check).
            var identity: String
            /// Each cloud service DISCO has called (identity, orchestration, compute, network, image): `ok`, or since
            /// when and how its calls fail.
            var services: [String: String]
            var clusters: [String: Int]
            /// DISCO-tagged stacks without a record, found at start.
            var orphanStacks: [String]
            /// Credentials named as a cluster's with no cluster behind them, found since the start (the log names them).
            var orphanCredentials: Int
            /// `running` while the start-up check of the registry against the cloud goes on, then `done`.
            var startupCheck: String
        }
        var services = provider.reachability.services.mapValues { _ in "ok" }
        services.merge(serviceProblems) { $1 }
        return JSONResponse.make(200, Health(status: status, version: DiscoVersion.current, cloud: provider.displayName,
                                             identity: identityProblem.map { "\($0); \(IdentityHealth.hint)" } ?? "ok",
                                             services: services, clusters: clusters,
                                             orphanStacks: await service.orphans.map(\.reference.name),
                                             orphanCredentials: await service.orphanCredentials.count,
                                             startupCheck: startupCheck))
    }

    /// `/metrics`, for anyone unless ``operationsRequireToken``: counts only, nothing that names a host or a project.
    func metricsPage(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        if operationsRequireToken { _ = try await operationsCaller(request) }
        let text = metrics.render(states: await service.countsByState(), cloudErrors: await service.cloudErrors,
                                  connections: connectionCount(), createPhases: await service.createPhases,
                                  health: await service.countsByHealth(),
                                  healthReads: (await health.reads, await health.failedReads),
                                  residentBytes: ProcessMemory.residentKiB().map { $0 * 1024 },
                                  heapInUseBytes: ProcessMemory.mallocInUseBytes())
        return .text(200, text, headers: ["Content-Type": "text/plain; version=0.0.4"])
    }
}
