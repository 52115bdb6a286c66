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

    init(service: ClusterService, health: HealthMonitor, provider: any CloudProvider, catalog: ComponentCatalog, defaults: OCCIClusterMapping.Defaults,
         logger: Logger, clock: any DiscoClock = SystemClock(), dashboard: DashboardFiles = DashboardFiles(),
         connectionCount: @escaping @Sendable () -> Int? = { nil }) {
        self.service = service
        self.health = health
        self.provider = provider
        self.catalog = catalog
        self.mapping = OCCIClusterMapping(defaults: defaults)
        self.identity = IdentityHealth(provider: provider, logger: logger)
        self.authenticator = Authenticator(provider: provider, identity: identity, clock: clock)
        self.signIns = RateLimiter(name: "failed sign-ins", burst: 20, interval: 3, clock: clock)
        self.metrics = Metrics()
        self.logger = logger
        self.dashboard = dashboard
        self.connectionCount = connectionCount
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
        let (route, outcome) = await dispatch(request)
        var response: HTTPServerResponse
        switch outcome {
        case let .success(ok): response = ok
        case let .failure(error): response = route.hasPrefix("/api") ? error.jsonResponse : error.plainResponse
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
    /// ``HTTPServer/Configuration/runsOnEventLoop``): `GET`/`HEAD` of `/`, `/disco/{id}` or `/api/v1/clusters/{id}`.
    /// These do bounded work (one record, its cached rendering) and never block.
    static func isQuickRead(_ request: HTTPServerRequest) -> Bool {
        guard request.method == "GET" || request.method == "HEAD" else { return false }
        // Up to five non-empty segments, compared in place (no allocation).
        var segments: (Substring.UTF8View?, Substring.UTF8View?, Substring.UTF8View?, Substring.UTF8View?) = (nil, nil, nil, nil)
        var count = 0
        let path = request.path
        var start = path.utf8.startIndex
        while start < path.utf8.endIndex {
            let end = path.utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? path.utf8.endIndex
            if end > start {
                let segment = path[start..<end].utf8
                switch count {
                case 0: segments.0 = segment
                case 1: segments.1 = segment
                case 2: segments.2 = segment
                case 3: segments.3 = segment
                default: return false
                }
                count += 1
            }
            start = end < path.utf8.endIndex ? path.utf8.index(after: end) : end
        }
        switch count {
        case 0: return true
        case 2: return segments.0!.elementsEqual("disco".utf8)
        case 4: return segments.0!.elementsEqual("api".utf8) && segments.1!.elementsEqual("v1".utf8)
            && segments.2!.elementsEqual("clusters".utf8)
        default: return false
        }
    }

    /// `seconds` in milliseconds with two decimals, as `String(format: "%.2f")` gives it (which is slow on Linux).
    static func milliseconds(_ seconds: Double) -> String {
        let hundredths = (seconds * 100_000).rounded()
        guard hundredths.isFinite, hundredths >= 0, hundredths < 1e15 else { return String(format: "%.2f", seconds * 1000) }
        let value = Int(hundredths)
        let fraction = value % 100
        return "\(value / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private func dispatch(_ request: HTTPServerRequest) async -> (String, Result<HTTPServerResponse, APIError>) {
        let path = request.path
        let segments = path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        do throws(APIError) {
            switch segments.first {
            case nil:
                return ("/", .success(root(request)))
            case "-" where segments.count == 1, ".well-known" where path == "/.well-known/org/ogf/occi/-/":
                return ("/-/", .success(try await occiQuery(request)))
            case "disco" where segments.count == 1:
                return ("/disco/", .success(try await occiCollection(request)))
            case "disco" where segments.count == 2:
                return ("/disco/{id}", .success(try await occiEntity(request, id: segments[1])))
            case "api" where segments.count >= 2 && segments[1] == "v1":
                let (route, response) = try await rest(request, Array(segments.dropFirst(2)))
                return (route, .success(response))
            case "healthz" where segments.count == 1:
                return ("/healthz", .success(await health()))
            case "metrics" where segments.count == 1:
                return ("/metrics", .success(await metricsPage()))
            case "dashboard":
                return ("/dashboard", .success(try dashboard.serve(request, relativePath: segments.dropFirst().joined(separator: "/"))))
            default:
                throw APIError.notFound("nothing at \(path.prefix(200)); the OCCI API is at /-/ and /disco/, the REST API at /api/v1/")
            }
        } catch {
            return (RouteTemplate.template(of: segments), .failure(error))
        }
    }

    private func root(_ request: HTTPServerRequest) -> HTTPServerResponse {
        if request.headers["Accept"]?.contains("text/html") == true {
            return HTTPServerResponse(status: 302, headers: ["Location": "/dashboard/"])
        }
        return .text(200, """
            DISCO service manager
            OCCI query interface: /-/   clusters: /disco/   REST API: /api/v1/ (OpenAPI: /api/v1/openapi.json)
            dashboard: /dashboard/   health: /healthz   metrics: /metrics

            """)
    }

    private func health() async -> HTTPServerResponse {
        let counts = await service.countsByState()
        struct Health: Encodable {
            /// `ok`, or `degraded` when the identity service does not answer as Keystone.
            var status: String
            var cloud: String
            /// `ok`, or what is wrong with the identity service (and what to check).
            var identity: String
            var clusters: [String: Int]
            /// DISCO-tagged stacks without a record, found at start.
            var orphanStacks: [String]
            /// `running` while the start-up check of the registry against the cloud goes on, then `done`.
            var startupCheck: String
        }
        let identityProblem = await identity.currentProblem()
        return JSONResponse.make(200, Health(status: identityProblem == nil ? "ok" : "degraded", cloud: provider.displayName,
                                             identity: identityProblem.map { "\($0); \(IdentityHealth.hint)" } ?? "ok",
                                             clusters: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                                             orphanStacks: await service.orphans.map(\.reference.name),
                                             startupCheck: await service.isReconciledWithCloud ? "done" : "running"))
    }

    private func metricsPage() async -> HTTPServerResponse {
        let text = metrics.render(states: await service.countsByState(), cloudErrors: await service.cloudErrors,
                                  connections: connectionCount(), createPhases: await service.createPhases,
                                  health: await service.countsByHealth(),
                                  healthReads: (await health.reads, await health.failedReads),
                                  residentBytes: ProcessMemory.residentKiB().map { $0 * 1024 },
                                  heapInUseBytes: ProcessMemory.mallocInUseBytes())
        return .text(200, text, headers: ["Content-Type": "text/plain; version=0.0.4"])
    }
}
