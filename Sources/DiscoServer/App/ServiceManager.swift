package import DiscoCore
import DiscoOpenStack
import DiscoRuntime
import Foundation

/// The running pieces of a service manager, built from a ``ServerConfiguration`` by ``make(_:logger:)``.
package struct ServiceManager {
    var http: HTTPServer
    var service: ClusterService
    var health: HealthMonitor
    var provider: any CloudProvider
    var application: DiscoApplication

    /// The cloud's name for the start-up banner.
    package var cloudName: String { provider.displayName }

    /// Binds and starts serving.
    ///
    /// - Returns: the port actually bound.
    /// - Throws: ``SocketError`` if the address cannot be bound.
    package func start() throws -> Int {
        try http.start()
    }

    /// Serves until SIGTERM or SIGINT, then drains the HTTP server and stops the cluster service; `draining` is
    /// called as the drain starts.
    package func runUntilSignalled(logger: Logger, draining: @escaping @Sendable () -> Void = {}) async {
        let stopper = http.stopOnSignals(logger: { logger.info($0) }, draining: draining)
        application.identity.startProbing()
        await http.run()
        _ = stopper
        application.identity.stop()
        await health.stop()
        await service.stop()
    }

    /// Builds the object graph from a configuration and starts the cluster service (the HTTP server is not started).
    ///
    /// - Throws: ``ConfigurationError`` for a catalog or endpoint the configuration names wrongly; store errors.
    package static func make(_ config: ServerConfiguration, logger: Logger) async throws -> ServiceManager {
        try await make(config, logger: logger, clock: SystemClock(), simulator: nil)
    }

    /// ``make(_:logger:)`` with a clock and, for a simulated cloud, the simulator to use.
    ///
    /// - Parameters:
    ///   - clock: drives the reconciler and the simulated cloud.
    ///   - simulator: the simulated cloud to use when `config.cloud` is `.simulated` (one is made otherwise).
    /// - Throws: ``ConfigurationError`` for a catalog or endpoint the configuration names wrongly; store errors.
    static func make(_ config: ServerConfiguration, logger: Logger, clock: any DiscoClock,
                     simulator: SimulatedCloud?) async throws -> ServiceManager {
        let catalog: ComponentCatalog
        do {
            catalog = try config.frameworkDirectory.map { try ComponentCatalog.load(from: URL(fileURLWithPath: $0)) } ?? .builtIn()
        } catch {
            throw config.error("[disco] framework_directory", "\(error)")
        }
        let provider: any CloudProvider
        switch config.cloud {
        case .simulated:
            let scale = config.simulationQuotaScale
            let quota = SimulatedCloud.Quota()
            let sim = simulator ?? SimulatedCloud(
                configuration: .init(quota: .init(instances: quota.instances * scale, cores: quota.cores * scale,
                                                  ramMB: quota.ramMB * scale, floatingIPs: quota.floatingIPs * scale),
                                     timing: .realistic(readySeconds: config.simulationReadySeconds)), clock: clock)
            provider = OpenStackCloudProvider.simulated(sim, unrestrictedCredentials: config.unrestrictedCredentials)
        case .openstack:
            guard let uri = config.designURI, let url = URL(string: uri) else {
                throw config.error("[service_manager] design_uri", "is required (the Keystone URL, e.g. https://keystone:5000/v3)")
            }
            provider = OpenStackCloudProvider(authURL: url, transport: URLSessionTransport(),
                                              configuration: .init(unrestrictedApplicationCredentials: config.unrestrictedCredentials))
        }
        let options = PlanOptions(mirror: config.mirror, checksumBase: config.checksumBase,
                                  limits: SpecLimits(maxWorkers: config.maxWorkers), userData: config.userData,
                                  allowedSources: config.allowedSources)
        // Reading every record churns the decoders' memory through malloc's arenas: give it back.
        let store = try FileJournalStore(directory: URL(fileURLWithPath: config.stateDirectory), logger: logger,
                                         afterReading: { HeapTrimmer.shared.trimNow() })
        if store.formatFound != StateFormat.current {
            logger.info("state directory migrated", ["directory": config.stateDirectory, "from": "format \(store.formatFound)",
                                                     "to": "format \(StateFormat.current)"])
        }
        let service = ClusterService(
            store: store, provider: provider, planner: Planner(catalog: catalog, options: options),
            keys: SSHKeygenGenerator(), clock: clock,
            configuration: .init(pollInterval: config.pollInterval, defaultTTLSeconds: config.defaultTTLSeconds,
                                 orphanPolicy: config.orphanPolicy, maxClustersPerProject: config.maxClustersPerProject,
                                 createsPerMinute: config.createsPerMinute),
            logger: logger)
        try await service.start()
        let health = HealthMonitor(service: service, provider: provider, catalog: catalog, clock: clock,
                                   configuration: .init(interval: config.healthInterval,
                                                        maxConcurrentReads: config.healthConcurrency))
        await health.start()
        // Loading and indexing every record leaves freed heap behind.
        HeapTrimmer.shared.trimNow()
        let reference = HTTPServerReference()
        let application = DiscoApplication(service: service, health: health, provider: provider, catalog: catalog,
                                           fallbacks: config.specFallbacks,
                                           logger: logger, clock: clock, connectionCount: { reference.server?.statistics.openConnections },
                                           trustedProxies: config.trustedProxies, allowedHosts: config.allowedHosts,
                                           listenHost: config.host, operationsRequireToken: config.operationsRequireToken)
        await service.onRemoval { [weak application] id in application?.forget(id) }
        // A wrong design_uri or a Keystone that is down is logged at start (and then as it changes), not met later
        // as users' failed sign-ins.
        await application.identity.probe()
        var httpConfiguration = HTTPServer.Configuration(host: config.host, port: config.port)
        httpConfiguration.runsOnEventLoop = DiscoApplication.isQuickRead
        // Freed listing bodies stay in glibc's arenas unless trimmed.
        httpConfiguration.largeResponseWritten = { HeapTrimmer.shared.trimSoon() }
        // Half the cores (at most 4): clients share the machine's cores with the loops.
        httpConfiguration.eventLoops = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        let http = HTTPServer(configuration: httpConfiguration) { request in
            await application.handle(request)
        }
        reference.server = http
        return ServiceManager(http: http, service: service, health: health, provider: provider, application: application)
    }
}
