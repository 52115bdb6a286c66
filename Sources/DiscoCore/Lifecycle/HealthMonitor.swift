import Foundation

/// Watches ready clusters: reads each one's health document (see ``HealthDocument``) every ``Configuration/interval``
/// seconds, jittered so that clusters made together are not read together, with at most
/// ``Configuration/maxConcurrentReads`` reads at a time, and gives the service the judgement (``HealthAssessment``).
///
/// ```swift
/// let monitor = HealthMonitor(service: service, provider: provider, catalog: catalog)
/// await monitor.start()
/// let health = await monitor.check(clusterID)   // on demand, for the `check` action
/// ```
public actor HealthMonitor {
    public struct Configuration: Sendable {
        /// Seconds between two reads of one cluster's document; 0 turns the periodic reads off (``check(_:)`` works).
        public var interval: Double
        /// Reads in flight at most.
        public var maxConcurrentReads: Int
        /// Seconds between two looks at which clusters are due.
        public var tick: Double

        public init(interval: Double = 60, maxConcurrentReads: Int = 64, tick: Double = 1) {
            self.interval = interval
            self.maxConcurrentReads = max(1, maxConcurrentReads)
            self.tick = tick
        }
    }

    private let service: ClusterService
    private let provider: any CloudProvider
    private let catalog: ComponentCatalog
    private let clock: any DiscoClock
    public nonisolated let configuration: Configuration
    private var due: [String: Date] = [:]
    private var loop: Task<Void, Never>?
    private var isFirstRound = true
    /// Documents read, and reads that failed, since the start (for metrics).
    public private(set) var reads = 0
    public private(set) var failedReads = 0

    public init(service: ClusterService, provider: any CloudProvider, catalog: ComponentCatalog,
                clock: any DiscoClock = SystemClock(), configuration: Configuration = .init()) {
        self.service = service
        self.provider = provider
        self.catalog = catalog
        self.clock = clock
        self.configuration = configuration
    }

    /// Starts the periodic reads (none when the interval is 0).
    public func start() {
        guard loop == nil, configuration.interval > 0 else { return }
        loop = Task { [weak self] in await self?.run() }
    }

    /// Stops the periodic reads.
    public func stop() async {
        loop?.cancel()
        await loop?.value
        loop = nil
    }

    /// Reads the cluster's document now and records the judgement; `nil` when the cluster is not ready (or has no
    /// address yet). The next periodic read comes an interval later.
    @discardableResult
    public func check(_ id: String) async -> ClusterHealth? {
        guard let target = await service.healthTarget(id) else { return nil }
        let health = await read(target)
        due[id] = nextRead(after: clock.now())
        return health
    }

    /// One look at what is due: new ready clusters are scheduled, gone ones forgotten, due ones read.
    public func round() async {
        let targets = await service.healthTargets()
        let now = clock.now()
        let ids = Set(targets.map(\.id))
        due = due.filter { ids.contains($0.key) }
        for target in targets where due[target.id] == nil {
            // Clusters found at start are spread over an interval; a cluster that just became ready is read soon.
            let spread = isFirstRound ? configuration.interval : min(configuration.interval, 5)
            due[target.id] = now.addingTimeInterval(spread > 0 ? Double.random(in: 0..<spread) : 0)
        }
        isFirstRound = false
        let ready = targets.filter { due[$0.id]! <= now }
        guard !ready.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            var next = ready.makeIterator()
            for _ in 0..<min(configuration.maxConcurrentReads, ready.count) {
                guard let target = next.next() else { break }
                group.addTask { await self.read(target) }
            }
            while await group.next() != nil {
                if let target = next.next() { group.addTask { await self.read(target) } }
            }
        }
        let after = clock.now()
        for target in ready where due[target.id] != nil { due[target.id] = nextRead(after: after) }
    }

    private func run() async {
        while !Task.isCancelled {
            await round()
            do { try await clock.sleep(seconds: configuration.tick) } catch { break }
        }
    }

    @discardableResult
    private func read(_ target: ClusterService.HealthTarget) async -> ClusterHealth {
        var assessment = HealthAssessment(workers: target.workers, components: target.components, catalog: catalog)
        assessment.knownAddresses = target.nodeAddresses
        let health: ClusterHealth
        reads += 1
        do {
            let data = try await provider.clusterHealthDocument(at: target.address)
            health = assessment.assess(try HealthDocument.decode(data), at: clock.now())
        } catch {
            failedReads += 1
            let previous = await service.health(of: target.id)
            health = assessment.unreadable("\(error)", previous: previous, at: clock.now())
        }
        await service.recordHealth(health, of: target.id)
        return health
    }

    private func nextRead(after time: Date) -> Date {
        let interval = configuration.interval > 0 ? configuration.interval : 60
        return time.addingTimeInterval(interval * Double.random(in: 0.9...1.1))
    }
}
