import Foundation
import Synchronization

/// Owns the clusters: accepts requests, records them durably, and drives each one through its life by
/// following its Heat stack (the reconciler). API reads never call the cloud: they return the records.
///
/// ```swift
/// let service = ClusterService(store: try FileJournalStore(directory: stateDir), provider: provider, keys: keys,
///                              planner: Planner(catalog: try .builtIn()))
/// await service.start()
/// let record = try await service.create(spec, principal: principal, token: token)
/// ```
public actor ClusterService {
    /// Timing and policy of the reconciler.
    public struct Configuration: Sendable {
        /// Seconds between polls of an active stack.
        public var pollInterval: Double
        /// Seconds between polls of a creating stack once every component has signalled (only Heat's completion is
        /// awaited, and it follows within a few seconds).
        public var fastPollInterval: Double
        /// Most polls at ``fastPollInterval`` per create; then ``pollInterval`` again (a stack that does not complete
        /// soon after its last signal is not read several times a second).
        public var maxFastPolls: Int
        /// Longest wait between polls after repeated cloud errors.
        public var maxPollInterval: Double
        /// Seconds between checks for expired time-to-live.
        public var ttlSweepInterval: Double
        /// How long a project's inventory (images, flavors, networks, quota) is reused as it is.
        public var inventoryCacheSeconds: Double
        /// How long an older inventory is still used while it is read again beside (a create or plan it refuses reads
        /// it again first); older, a request waits for the read.
        public var inventoryStaleSeconds: Double
        /// Time-to-live given to clusters that ask for none (`nil`: keep until deleted).
        public var defaultTTLSeconds: Int?
        /// What to do with DISCO-tagged stacks that have no record, found at start.
        public var orphanPolicy: OrphanPolicy
        /// The most clusters a project may have (not deleted, no delete requested); `nil`: no cap.
        public var maxClustersPerProject: Int?
        /// Creates a project may make in a minute (at once, then evenly); `nil`: no limit.
        public var createsPerMinute: Int?

        public init(pollInterval: Double = 2, fastPollInterval: Double = 0.2, maxFastPolls: Int = 100,
                    maxPollInterval: Double = 30, ttlSweepInterval: Double = 15,
                    inventoryCacheSeconds: Double = 60, inventoryStaleSeconds: Double = 600, defaultTTLSeconds: Int? = nil,
                    orphanPolicy: OrphanPolicy = .report, maxClustersPerProject: Int? = nil, createsPerMinute: Int? = nil) {
            self.pollInterval = pollInterval
            self.fastPollInterval = min(fastPollInterval, pollInterval)
            self.maxFastPolls = maxFastPolls
            self.maxPollInterval = maxPollInterval
            self.ttlSweepInterval = ttlSweepInterval
            self.inventoryCacheSeconds = inventoryCacheSeconds
            self.inventoryStaleSeconds = max(inventoryStaleSeconds, inventoryCacheSeconds)
            self.defaultTTLSeconds = defaultTTLSeconds
            self.orphanPolicy = orphanPolicy
            self.maxClustersPerProject = maxClustersPerProject
            self.createsPerMinute = createsPerMinute
        }
    }

    public enum OrphanPolicy: String, Sendable {
        case report, delete
    }

    /// The tag on every DISCO stack.
    public static let stackTag = "disco"

    private let store: any ClusterStore
    private let provider: any CloudProvider
    public nonisolated let planner: Planner
    private let keys: any SSHKeyGenerating
    private let clock: any DiscoClock
    private let configuration: Configuration
    private let logger: Logger

    private var records: [String: ClusterRecord] = [:]
    private var drivers: [String: Task<Void, Never>] = [:]
    private var sessions: [String: any Cloud] = [:]
    /// Private keys read once from the store (reads of a cluster return it; the file is the durable copy).
    private var privateKeys: [String: String] = [:]
    /// Clusters whose record has no private key in the store (seeded or restored without one): not looked up again.
    /// A key is always written before its record exists, so a recorded cluster without one never gets one.
    private var keylessClusters: Set<String> = []
    /// Outputs of clusters being created, read once the master existed and again once every server did (final but for
    /// the install signals' data, and the workers' addresses until every worker exists).
    private var earlyOutputs: [String: [String: String]] = [:]
    /// The read of outputs under way beside the polling, by cluster: early ones (above), or after ready what its read
    /// left for later.
    private var outputReads: [String: Task<Void, Never>] = [:]
    /// Polls of a cluster being created that read only its events, since the stack itself was last read.
    private var eventOnlyPolls: [String: Int] = [:]
    /// Generated passwords read once from the store, by cluster (empty when the request gave every secret).
    private var passwords: [String: [String: String]] = [:]
    /// Each project's inventory and when its read began (clusters recorded since then are not in its quota figures).
    private var inventories: [String: (inventory: CloudInventory, at: Date)] = [:]
    /// Reads of a project's inventory under way: callers meanwhile share the one read.
    private var inventoryReads: [String: (id: UUID, task: Task<CloudInventory, any Error>)] = [:]
    /// Seconds to each step of the creates since the start (for metrics).
    public private(set) var createPhases = CreatePhaseStatistics()
    /// The cap on each project's clusters and creates, and the creates in flight.
    private var admission: CreateAdmission
    private var sweeper: Task<Void, Never>?
    /// The check against the cloud that ``start()`` begins (the API serves meanwhile).
    private var startupReconciliation: Task<Void, Never>?
    /// Whether the start-up check against the cloud has finished.
    public private(set) var isReconciledWithCloud = false
    /// Stacks tagged as DISCO's with no record, found at start.
    public private(set) var orphans: [StackSnapshot] = []
    /// Credentials named as DISCO names a cluster's (`disco-<cluster id>`) with no cluster behind them, found since the
    /// start (see ``checkCredentials(token:principal:)``).
    public private(set) var orphanCredentials: [ListedCredential] = []
    /// Users whose credentials were checked since the start.
    private nonisolated let credentialsChecked = Mutex<Set<String>>([])
    /// Cloud calls that failed, by service (for metrics).
    public private(set) var cloudErrors: [CloudErrorLabel: Int] = [:]
    /// Told the id of each cluster whose record is gone (see ``onRemoval(_:)``).
    private var removalObservers: [@Sendable (String) -> Void] = []

    public init(store: any ClusterStore, provider: any CloudProvider, planner: Planner,
                keys: any SSHKeyGenerating, clock: any DiscoClock = SystemClock(),
                configuration: Configuration = .init(), logger: Logger = .disabled) {
        self.store = store
        self.provider = provider
        self.planner = planner
        self.keys = keys
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        admission = CreateAdmission(maxClusters: configuration.maxClustersPerProject,
                                    createsPerMinute: configuration.createsPerMinute, clock: clock)
    }

    // MARK: - Start and stop

    /// Loads the records, resumes every active cluster and starts the TTL sweeper; then, in the background, reports
    /// DISCO stacks without a record and marks settled records whose stack vanished
    /// (see ``waitForCloudReconciliation()``). The cloud's answer time does not hold up serving.
    public func start() async throws {
        for record in try store.loadAll() { records[record.id] = record }
        for record in records.values where record.state.isActive { startDriving(record.id) }
        // Deleted, but stopped before the credential was revoked and the record removed: finish that now.
        for record in records.values where record.state == .deleted {
            let id = record.id
            drivers[id] = Task { [weak self] in await self?.finishDelete(id) }
        }
        sweeper = Task { [weak self] in await self?.sweepLoop() }
        logger.info("cluster service started", ["clusters": String(records.count),
                                               "active": String(records.values.filter(\.state.isActive).count)])
        startupReconciliation = Task { [weak self] in await self?.reconcileWithCloud() }
    }

    /// Calls `observer` with the id of every cluster whose record is removed (its delete finished), so that what is
    /// derived from records elsewhere (rendered responses) is dropped with them.
    public func onRemoval(_ observer: @escaping @Sendable (String) -> Void) {
        removalObservers.append(observer)
    }

    /// Returns once the start-up check against the cloud has finished.
    public func waitForCloudReconciliation() async {
        await startupReconciliation?.value
    }

    private func dropDriver(_ id: String) { drivers[id] = nil }

    /// Stops the reconciler tasks; records stay as they are and are resumed by the next ``start()``.
    public func stop() async {
        startupReconciliation?.cancel()
        await startupReconciliation?.value
        sweeper?.cancel()
        for task in drivers.values { task.cancel() }
        for task in drivers.values { await task.value }
        drivers = [:]
        for task in outputReads.values { task.cancel() }
        outputReads = [:]
    }

    // MARK: - Queries

    /// A ready cluster for the health monitor: where its master is and what it should run.
    public struct HealthTarget: Sendable, Hashable {
        public var id: String
        /// The master's external address.
        public var address: String
        public var workers: Int
        public var components: [String]
        /// The nodes' cluster addresses by node name (`master`, `worker0`…), from the stack's outputs: the public health
        /// document names none.
        public var nodeAddresses: [String: String] = [:]
    }

    /// Every ready cluster whose master has an address.
    public func healthTargets() -> [HealthTarget] {
        records.values.compactMap(Self.healthTarget)
    }

    /// The cluster as a health target, when it is ready and its master has an address.
    public func healthTarget(_ id: String) -> HealthTarget? {
        records[id].flatMap(Self.healthTarget)
    }

    private static func healthTarget(_ record: ClusterRecord) -> HealthTarget? {
        guard record.state == .ready, !record.isDeleteRequested, let address = record.outputs["external_ip"],
              !address.isEmpty else { return nil }
        return HealthTarget(id: record.id, address: address, workers: record.spec.workers,
                            components: record.components.map(\.name), nodeAddresses: nodeAddresses(of: record))
    }

    /// `master_address`, and `worker_addresses` (a JSON array, in worker index order) as `worker<index>`.
    static func nodeAddresses(of record: ClusterRecord) -> [String: String] {
        var addresses: [String: String] = [:]
        if let master = record.outputs["master_address"], !master.isEmpty { addresses["master"] = master }
        if let workers = record.outputs[ClusterRecord.workerAddressesOutput],
           let list = try? JSONDecoder().decode([String?].self, from: Data(workers.utf8)) {
            for (index, address) in list.enumerated() {
                if let address, !address.isEmpty { addresses["worker\(index)"] = address }
            }
        }
        return addresses
    }

    /// The health `id` had at its last check, if it is ready.
    public func health(of id: String) -> ClusterHealth? {
        records[id]?.health
    }

    /// Keeps a check's outcome on a cluster that is still ready. A change of status or reasons is an event and is
    /// recorded durably; a check that only confirms the last one updates the time in memory.
    public func recordHealth(_ health: ClusterHealth, of id: String) {
        guard var record = records[id], record.state == .ready, !record.isDeleteRequested else { return }
        let previous = record.health
        record.health = health
        guard health.differs(from: previous) else {
            records[id] = record
            return
        }
        let was = previous.map { "\($0.status.rawValue) → " } ?? ""
        let why = health.reasons.isEmpty ? "" : ": \(health.reasonText)"
        record.note("health \(was)\(health.status.rawValue)\(why)", at: clock.now())
        logger.info("cluster health changed", ["cluster": id, "health": health.status.rawValue,
                                               "reasons": String(health.reasons.count)])
        try? persist(record)
    }

    /// Ready clusters by their last health (``ClusterHealth/Status``); ready ones not yet checked are not counted.
    public func countsByHealth() -> [ClusterHealth.Status: Int] {
        var counts: [ClusterHealth.Status: Int] = [:]
        for record in records.values where record.state == .ready && !record.isDeleteRequested {
            if let status = record.health?.status { counts[status, default: 0] += 1 }
        }
        return counts
    }

    /// The project's clusters, oldest first; deleted ones are not listed.
    public func list(projectID: String, includeDeleting: Bool = false) -> [ClusterRecord] {
        listIDs(projectID: projectID, includeDeleting: includeDeleting).compactMap { records[$0] }
    }

    /// The ids of ``list(projectID:includeDeleting:)`` (only those in `states`, when given), in its order, without
    /// copying records: listings of 10,000 clusters sort small keys and then take only the page they send.
    public func listIDs(projectID: String, includeDeleting: Bool = false, states: Set<ClusterState>? = nil) -> [String] {
        var keys: [(createdAt: Date, id: String)] = []
        for record in records.values where record.projectID == projectID && record.state != .deleted
            && (includeDeleting || !record.isDeleteRequested) && states?.contains(record.state) != false {
            keys.append((record.createdAt, record.id))
        }
        keys.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return keys.map(\.id)
    }

    /// The project's records of `ids`, in that order (ids no longer there are left out).
    public func records(_ ids: [String], projectID: String) -> [ClusterRecord] {
        ids.compactMap { id in records[id].flatMap { $0.projectID == projectID && $0.state != .deleted ? $0 : nil } }
    }

    /// The cluster, if it is in the project (another project's cluster is "not found").
    public func get(_ id: String, projectID: String, includeDeleting: Bool = false) throws(ServiceError) -> ClusterRecord {
        guard let record = records[id], record.projectID == projectID, record.state != .deleted,
              includeDeleting || !record.isDeleteRequested else {
            throw .notFound(id: id)
        }
        return record
    }

    /// The cluster with what only its owner sees: its SSH private key (`nil` when it has none or the key cannot be
    /// read) and the passwords DISCO generated for it, in one actor call.
    public func getWithOwnerSecrets(_ id: String, projectID: String) throws(ServiceError)
        -> (record: ClusterRecord, privateKey: String?, passwords: [String: String]) {
        let record = try get(id, projectID: projectID)
        return (record, try? privateKey(of: id, projectID: projectID), (try? generatedPasswords(of: id, projectID: projectID)) ?? [:])
    }

    /// The passwords DISCO generated for secret properties the create left out, by `component.property`.
    public func generatedPasswords(of id: String, projectID: String) throws(ServiceError) -> [String: String] {
        _ = try get(id, projectID: projectID)
        if let known = passwords[id] { return known }
        let found: [String: String]
        do {
            found = try store.secret(named: .generatedPasswords, for: id).map { try JSONDecoder().decode([String: String].self, from: $0) } ?? [:]
        } catch {
            throw .internal("the generated passwords cannot be read")
        }
        passwords[id] = found
        return found
    }

    /// Counts of clusters by state, over all projects (for metrics).
    public func countsByState() -> [ClusterState: Int] {
        records.values.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }

    /// The user's SSH private key of the cluster.
    public func privateKey(of id: String, projectID: String) throws(ServiceError) -> String {
        _ = try get(id, projectID: projectID)
        if let key = privateKeys[id] { return key }
        if keylessClusters.contains(id) { throw .notFound(id: id) }
        let data: Data?
        do { data = try store.secret(named: .sshPrivateKey, for: id) } catch { throw .internal("the key cannot be read") }
        guard let data else {
            keylessClusters.insert(id)
            throw .notFound(id: id)
        }
        let key = String(decoding: data, as: UTF8.self)
        privateKeys[id] = key
        return key
    }

    /// Images, flavors and networks of the caller's project, cached briefly (an older copy is answered while it is read
    /// again).
    public func inventory(principal: Principal, token: String) async throws(ServiceError) -> CloudInventory {
        try await cachedInventory(principal: principal, token: token).inventory
    }

    /// The project's inventory: the cached one while it is fresh; an older one (`stale`) while it is read again beside,
    /// so that the first request after a quiet minute does not wait for the cloud; else a read awaited.
    private func cachedInventory(principal: Principal, token: String) async throws(ServiceError)
        -> (inventory: CloudInventory, stale: Bool) {
        let project = principal.projectID
        if let cached = inventories[project] {
            let age = clock.now().timeIntervalSince(cached.at)
            if age < configuration.inventoryCacheSeconds { return (cached.inventory, false) }
            if age < configuration.inventoryStaleSeconds {
                _ = inventoryRead(of: project, from: provider.cloud(token: token, principal: principal))
                return (cached.inventory, true)
            }
        }
        return (try await freshInventory(principal: principal, token: token), false)
    }

    /// The project's inventory as the cloud has it now (a read under way is joined).
    private func freshInventory(principal: Principal, token: String) async throws(ServiceError) -> CloudInventory {
        try await readInventory(of: principal.projectID, from: provider.cloud(token: token, principal: principal))
    }

    /// Reads the project's inventory through `cloud`, or joins the read already under way.
    private func readInventory(of project: String, from cloud: any Cloud) async throws(ServiceError) -> CloudInventory {
        do {
            return try await inventoryRead(of: project, from: cloud).value
        } catch {
            throw serviceError(error, service: "compute")
        }
    }

    /// The read of the project's inventory under way, or a new one; it caches what it reads when it ends, awaited or
    /// not.
    private func inventoryRead(of project: String, from cloud: any Cloud) -> Task<CloudInventory, any Error> {
        if let running = inventoryReads[project] { return running.task }
        let clock = clock, readID = UUID()
        let task = Task { [weak self] in
            let began = clock.now()
            let result: Result<CloudInventory, any Error>
            do { result = .success(try await cloud.inventory()) } catch { result = .failure(error) }
            await self?.inventoryReadEnded(project, readID: readID, result: result, began: began)
            return try result.get()
        }
        inventoryReads[project] = (readID, task)
        return task
    }

    private func inventoryReadEnded(_ project: String, readID: UUID, result: Result<CloudInventory, any Error>, began: Date) {
        if inventoryReads[project]?.id == readID { inventoryReads[project] = nil }
        let took = Self.seconds(clock.now().timeIntervalSince(began))
        switch result {
        case .success: logger.debug("inventory read in \(took)", ["project": project])
        case .failure(let error): logger.warning("inventory read failed after \(took): \(error)", ["project": project])
        }
        // A read that began earlier than the cached one does not replace it.
        if case let .success(inventory) = result, (inventories[project]?.at).map({ $0 < began }) ?? true {
            inventories[project] = (inventory, began)
        }
    }

    /// Reads a project's inventory again after one of its clusters changed what it uses (ready, failed or deleted):
    /// the cached quota figures are out of date, and the next create or plan finds them read. Only for a project whose
    /// inventory was read before (someone plans or creates there).
    @discardableResult
    private func refreshInventory(of project: String, through id: String) -> Task<CloudInventory, any Error>? {
        guard inventories[project] != nil || inventoryReads[project] != nil, let cloud = try? session(for: id) else { return nil }
        // A read under way may have begun before the change: a new one replaces it (the older result, should it end
        // later, is not cached over the newer).
        inventories[project] = nil
        inventoryReads[project] = nil
        return inventoryRead(of: project, from: cloud)
    }

    // MARK: - Commands

    /// Plans `spec` for the caller's project without creating anything.
    public func plan(_ spec: ClusterSpec, principal: Principal, token: String) async throws(ServiceError) -> ClusterPlan {
        let spec = withGeneratedSecrets(withDefaults(spec)).spec
        return try await withInventory(principal: principal, token: token) { inventory throws(SpecValidationError) in
            try planner.plan(spec, inventory: inventory, context: .preview)
        }.result
    }

    /// `check` run against the project's inventory; when an older copy (see ``cachedInventory(principal:token:)``)
    /// refuses, against a fresh read once more: an image, flavor or network made since, or quota freed, may change
    /// the answer. Returns the inventory that passed and when it was at hand. Nothing suspends between that and `check`.
    private func withInventory<Result>(principal: Principal, token: String,
                                       _ check: (CloudInventory) throws(SpecValidationError) -> Result)
        async throws(ServiceError) -> (result: Result, inventory: CloudInventory, at: Date) {
        var (inventory, stale) = try await cachedInventory(principal: principal, token: token)
        while true {
            let at = clock.now()
            do {
                return (try check(inventory), inventory, at)
            } catch where stale {
                inventory = try await freshInventory(principal: principal, token: token)
                stale = false
            } catch {
                throw .invalid(error)
            }
        }
    }

    /// Validates and records a new cluster, then starts creating it in the background.
    ///
    /// The user key pair is made while the inventory is looked up. Returns once the record and its credential are durable;
    /// the reconciler creates the stack and follows it. The project's cluster cap is checked before anything is made,
    /// then its quota headroom less what its clusters not yet counted by the cloud will use, and its create budget,
    /// before a credential is made (``CreateAdmission``).
    public func create(_ spec: ClusterSpec, principal: Principal, token: String) async throws(ServiceError) -> ClusterRecord {
        let started = clock.now()
        let (spec, generated) = withGeneratedSecrets(withDefaults(spec))
        let id = UUID().uuidString.lowercased()
        let project = principal.projectID
        // Counted as in flight at once, so creates racing each other see each other against the cap.
        try admission.checkCap(principal, clusters: records.values.count { $0.projectID == project && $0.state != .deleted && !$0.isDeleteRequested }
                                   + admission.inFlightCount(of: project))
        admission.reserve(id, projectID: project)
        defer { admission.release(id) }
        async let madeKeys = makeClusterKeys(name: spec.name)
        let (preview, inventory, inventoryAt) = try await withInventory(principal: principal, token: token) {
            inventory throws(SpecValidationError) in
            // From the inventory at hand to the reservation of what the cluster will use nothing suspends.
            let readAt = inventories[project]?.at ?? clock.now()
            // Not counted in the headroom read: creates in flight, clusters without a stack, clusters made since the read.
            let pending = admission.inFlightTotals(of: project)
                + records.values.filter { $0.projectID == project && $0.state != .deleted && !$0.isDeleteRequested
                    && ($0.state == .accepted || $0.createdAt >= readAt) }.map(\.totals)
            var available = inventory
            available.quota = CreateAdmission.headroom(inventory.quota, less: pending)
            do throws(SpecValidationError) {
                return try planner.plan(spec, inventory: available, context: .preview)
            } catch {
                var error = error
                for i in error.problems.indices where !pending.isEmpty && error.problems[i].problem.hasSuffix(" left") {
                    error.problems[i].problem += " once \(pending.count) of its clusters still being created are counted"
                }
                throw error
            }
        }
        try admission.takeCreate(principal)
        admission.reserve(id, projectID: project, totals: preview.totals)
        let (keysOutcome, keysAt) = await madeKeys
        let clusterKeys: ClusterKeys
        switch keysOutcome {
        case let .success(made): clusterKeys = made
        case let .failure(error):
            logger.error("key generation failed: \(error)")
            throw .internal("could not generate the cluster's SSH keys")
        }
        let context = PlanContext(clusterID: id, keys: clusterKeys, secretSalt: PlanContext.randomSalt())
        let plan: ClusterPlan
        do {
            plan = try planner.plan(spec, inventory: inventory, context: context)
        } catch {
            throw .invalid(error)
        }
        var record = ClusterRecord(id: id, projectID: principal.projectID, projectName: principal.projectName,
                                   userID: principal.userID, spec: plan.spec, components: plan.components,
                                   uiLinks: plan.uiLinks, totals: plan.totals, stackName: plan.stackName, createdAt: started)
        record.outputs["ssh_public_key"] = clusterKeys.user.publicKey
        record.mark(.validated, at: started)
        record.mark(.inventoryChecked, at: inventoryAt)
        record.mark(.keysMade, at: keysAt)
        let request = StoredStackRequest(templateJSON: plan.template.json(pretty: false), parameters: plan.parameters,
                                         tags: [Self.stackTag, "disco-cluster=\(id)"] + spec.tags,
                                         timeoutMinutes: plan.installTimeoutSeconds / 60 + 30)
        do {
            try store.putSecret(Data(clusterKeys.user.privateKey.utf8), named: .sshPrivateKey, for: id)
            if !generated.isEmpty { try store.putSecret(try JSONEncoder().encode(generated), named: .generatedPasswords, for: id) }
            try store.putSecret(try JSONEncoder().encode(request), named: .stackRequest, for: id)
        } catch {
            logger.error("cannot record the cluster: \(error)", ["cluster": id])
            try? store.remove(id: id)
            throw .internal("the cluster could not be recorded; nothing was created")
        }
        // The stack is created by the reconciler once the record and its credential are durable: a stop at any point
        // leaves either nothing or a record the next start finishes (never a stack without a record).
        // Keystone keeps a credential it made even when the request is cancelled meanwhile (the HTTP handler's
        // deadline), so the call runs on to its answer, and a caller gone by then has it revoked.
        let credentialCall = Task { [provider] in
            try await provider.delegate(token: token, principal: principal, name: Self.credentialName(ofCluster: id))
        }
        let credential: DelegatedCredential
        do {
            credential = try await credentialCall.value
        } catch {
            try? store.remove(id: id)
            throw serviceError(error, service: "identity")
        }
        if Task.isCancelled {
            try? store.remove(id: id)
            logger.warning("the create was cancelled while Keystone made application credential \(credential.id); revoking it",
                           ["cluster": id])
            // Revoked in the background (Keystone may be slow, and the caller is gone); a stop cuts it short and
            // the error log names the command that deletes the credential.
            drivers[id] = Task { [weak self] in
                _ = await self?.revoke(credential, of: id)
                await self?.dropDriver(id)
            }
            throw .internal("the create was cancelled before the cluster was recorded; nothing was created")
        }
        record.mark(.credentialMade, at: clock.now())
        do {
            try store.putSecret(try JSONEncoder().encode(credential), named: .credential, for: id)
            try store.put(record)
        } catch {
            logger.error("cannot record the cluster: \(error)", ["cluster": id])
            try? await provider.revoke(credential)
            try? store.remove(id: id)
            throw .internal("the cluster could not be recorded; nothing was created")
        }
        records[id] = record
        observeNewMarks(of: record, before: nil)
        logger.info("cluster accepted", ["cluster": id, "project": principal.projectID, "workers": String(spec.workers),
                                         "components": plan.components.map(\.name).joined(separator: ",")])
        startDriving(id)
        return record
    }

    /// The cluster's user key pair (the nodes make their internal one), and when it was done.
    private nonisolated func makeClusterKeys(name: String) async -> (Result<ClusterKeys, any Error>, Date) {
        do {
            let made = ClusterKeys(user: try await keys.makeKeyPair(comment: "disco-\(name)"))
            return (.success(made), clock.now())
        } catch {
            return (.failure(error), clock.now())
        }
    }

    /// Changes the number of workers (a stack update of `worker_count`).
    public func scale(_ id: String, projectID: String, workers: Int) async throws(ServiceError) -> ClusterRecord {
        var record = try get(id, projectID: projectID)
        let limit = planner.options.limits.maxWorkers
        guard (0...limit).contains(workers) else {
            throw .invalid(SpecValidationError(problems: [.init(path: "workers", found: String(workers), problem: "is not allowed",
                                                                 accepted: "0…\(limit)")]))
        }
        guard record.state == .ready, let reference = record.stackReference else {
            throw .conflict("cluster \(id) is \(record.state.rawValue); scaling needs a ready cluster")
        }
        if workers == record.spec.workers { return record }
        // The intent is recorded first (a second change is a conflict from now on). Heat applies an update it has
        // received even when the caller stops waiting (a handler deadline under a slow cloud), so the request and its
        // record finish in a task of their own: what Heat does, DISCO records.
        let from = record.spec.workers
        record.desiredWorkers = workers
        record.move(to: .scaling, reason: "scaling from \(from) to \(workers) workers", at: clock.now())
        try persist(record)
        let submission = Task { await self.submitScale(id, projectID: projectID, reference: reference, workers: workers) }
        return try await submission.value.get()
    }

    private func submitScale(_ id: String, projectID: String, reference: StackReference,
                             workers: Int) async -> Result<ClusterRecord, ServiceError> {
        let result = await sendScale(id, projectID: projectID, reference: reference, workers: workers)
        // Heat did not take it: the cluster is as it was.
        if case .failure(let error) = result, var record = try? get(id, projectID: projectID), record.state == .scaling,
           record.pendingAction == nil {
            record.desiredWorkers = nil
            record.move(to: .ready, reason: "scaling to \(workers) workers was not accepted: \(error)", at: clock.now())
            try? persist(record)
        }
        return result
    }

    private func sendScale(_ id: String, projectID: String, reference: StackReference,
                           workers: Int) async -> Result<ClusterRecord, ServiceError> {
        do throws(ServiceError) {
            let marker = try await latestMarker(of: id, reference: reference)
            do {
                let cloud = try session(for: id)
                try await cloud.updateStack(reference, parameters: try await scaleParameters(workers, of: reference, in: cloud))
            } catch {
                throw serviceError(error, service: "orchestration")
            }
            var record = try get(id, projectID: projectID)
            record.eventMarker = marker ?? record.eventMarker
            record.pendingAction = "UPDATE"
            record.pendingActionStarted = false
            try persist(record)
            startDriving(id)
            return .success(record)
        } catch {
            return .failure(error)
        }
    }

    /// The parameters of a scale to `workers`. A stack whose install wait counts signals (`install_signals`, every
    /// stack made since the workers signal) and that grows also gets the signals in so far plus one per new worker, so
    /// Heat completes the update once the new workers are installed, not once their servers exist. A scale Heat
    /// already has (sent again after a restart) changes nothing more.
    private func scaleParameters(_ workers: Int, of reference: StackReference, in cloud: any Cloud) async throws
        -> [String: String] {
        let count = ["worker_count": String(workers)]
        guard let stack = try await cloud.stack(reference),
              let signals = stack.parameters[TemplateComposer.installSignalsParameter].flatMap({ Int($0) }),
              let current = stack.parameters["worker_count"].flatMap({ Int($0) }), workers > current else { return count }
        // Signals are counted by id: those in the wait's data, or at least as many as the wait last asked for.
        let received = stack.outputs[ClusterRecord.installResultOutput].map(Self.memberCount(ofJSONObject:)) ?? 0
        return count.merging([TemplateComposer.installSignalsParameter: String(max(received, signals) + workers - current)]) { $1 }
    }

    /// The number of members of the JSON object `text` (the wait condition's data: one per signal id); 0 when it is
    /// not an object.
    static func memberCount(ofJSONObject text: String) -> Int {
        Array(text.utf8).withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            var count = 0
            do {
                try reader.beginObject()
                while try reader.nextKey() != nil {
                    try reader.skipValue()
                    count += 1
                }
                try reader.end()
            } catch {
                return 0
            }
            return count
        }
    }

    /// Suspends (`suspend`) or resumes (`resume`) the cluster's servers.
    public func perform(_ action: StackAction, on id: String, projectID: String) async throws(ServiceError) -> ClusterRecord {
        let record = try get(id, projectID: projectID)
        let (from, to, heatAction): (ClusterState, ClusterState, String) = switch action {
        case .suspend: (.ready, .suspending, "SUSPEND")
        case .resume: (.suspended, .resuming, "RESUME")
        case .check: (.ready, .ready, "CHECK")
        }
        guard record.state == from, let reference = record.stackReference else {
            throw .conflict("cluster \(id) is \(record.state.rawValue); \(action.rawValue) needs a \(from.rawValue) cluster")
        }
        // As for a scale: once sent, the action and its record finish even when the caller stops waiting.
        let submission = Task {
            await self.submit(action, on: id, projectID: projectID, reference: reference, heatAction: heatAction, to: to)
        }
        return try await submission.value.get()
    }

    private func submit(_ action: StackAction, on id: String, projectID: String, reference: StackReference,
                        heatAction: String, to: ClusterState) async -> Result<ClusterRecord, ServiceError> {
        do throws(ServiceError) {
            let marker = try await latestMarker(of: id, reference: reference)
            do {
                try await session(for: id).perform(action, on: reference)
            } catch {
                throw serviceError(error, service: "orchestration")
            }
            var record = try get(id, projectID: projectID)
            guard action != .check else { return .success(record) }
            record.eventMarker = marker ?? record.eventMarker
            record.pendingAction = heatAction
            record.pendingActionStarted = false
            record.move(to: to, reason: "\(action.rawValue) requested", at: clock.now())
            try persist(record)
            startDriving(id)
            return .success(record)
        } catch {
            return .failure(error)
        }
    }

    /// Starts deleting the cluster; it disappears from listings at once and the stack is deleted in the background
    /// (retried until it is gone).
    public func delete(_ id: String, projectID: String, reason: String = "delete requested") throws(ServiceError) {
        var record = try get(id, projectID: projectID)
        record.isDeleteRequested = true
        record.pendingAction = nil
        record.move(to: .deleting, reason: reason, at: clock.now())
        try persist(record)
        logger.info("cluster delete requested", ["cluster": id, "reason": reason])
        startDriving(id)
    }

    // MARK: - Reconciler

    private func startDriving(_ id: String) {
        guard drivers[id] == nil else { return }
        drivers[id] = Task { [weak self] in await self?.drive(id) }
    }

    /// Consecutive refusals of a cluster's credential before the cluster is failed.
    static let maxAuthFailures = 5

    /// Why a create waits when Keystone refuses the cluster's (restricted) credential the trust Heat makes.
    package static let waitingForUserToken = "waiting for a user token: Keystone refuses this cluster's credential the trust "
        + "Heat makes for the stack; any request with your token lets DISCO go on (or the operator sets unrestricted_credentials)"

    private func drive(_ id: String) async {
        var delay = configuration.pollInterval
        var authFailures = 0
        var fastPolls = 0
        while !Task.isCancelled {
            guard let record = records[id], record.state.isActive else { break }
            do {
                try await step(id)
                delay = configuration.pollInterval
                if records[id]?.awaitsOnlyStackCompletion == true, fastPolls < configuration.maxFastPolls {
                    fastPolls += 1
                    delay = configuration.fastPollInterval
                }
                authFailures = 0
            } catch is CancellationError {
                break
            } catch {
                delay = min(delay * 2, configuration.maxPollInterval)
                logger.warning("\(error); retrying in \(Self.seconds(delay))", ["cluster": id])
                if let error = error as? CloudError {
                    cloudErrors[CloudErrorLabel(error), default: 0] += 1
                    // A credential the cloud keeps refusing will not start working: stop, with the reason.
                    authFailures = [.unauthorized, .forbidden].contains(error.kind) ? authFailures + 1 : 0
                    if authFailures >= Self.maxAuthFailures, var current = records[id], current.state.isActive,
                       current.state != .deleting {
                        current.move(to: .failed, reason: "the cloud refuses DISCO's credential for this cluster: \(error.message)",
                                     at: clock.now())
                        try? persist(current)
                        break
                    }
                }
                if var current = records[id], current.state.isActive {
                    let trustRefused = (error as? CloudError)?.kind == .trustRefused
                    let message = trustRefused ? Self.waitingForUserToken : "cloud error: \(error)"
                    if current.events.last?.message != message {
                        // The state stays (the create goes on once a user token is at hand); its reason says why.
                        if trustRefused { current.stateReason = message }
                        current.note(message, at: clock.now())
                        try? persist(current)
                    }
                }
            }
            guard records[id]?.state.isActive == true else { break }
            do { try await clock.sleep(seconds: delay) } catch { break }
        }
        // Still a driver while finishing, so that ``stop()`` cuts the revocation short (the next start finishes it).
        if let record = records[id], record.state == .deleted {
            // The project's quota figures changed; read them while the cluster's credential still works.
            if !Task.isCancelled { _ = await refreshInventory(of: record.projectID, through: id)?.result }
            await finishDelete(id)
        }
        drivers[id] = nil
    }

    /// One round of following the stack.
    private func step(_ id: String) async throws {
        guard let record = records[id] else { return }
        let cloud = try session(for: id)
        switch record.state {
        case .accepted:
            try await createStack(id, cloud: cloud)
        case .deleting:
            try await deleteStack(id, cloud: cloud)
        case .scaling where record.pendingAction == nil:
            // A scale recorded but not known to have reached Heat (a stop cut it short): send it now; the same
            // worker_count again is harmless if Heat already has it.
            guard let reference = record.stackReference, let workers = record.desiredWorkers else { return }
            if case .failure(let error) = await sendScale(id, projectID: record.projectID, reference: reference,
                                                          workers: workers) {
                throw error
            }
        default:
            guard let reference = record.stackReference else { return }
            let fast = record.awaitsOnlyStackCompletion
            var events: [StackEvent] = []
            var readsStack = true
            // Being created, signals still to come: the events alone (a database read in Heat; a read of the stack
            // loads its template), and the stack too once its own event says it settled, or every
            // `stackReadEvery`th poll.
            if record.state.isBeingCreated, !fast {
                events = try await cloud.events(of: reference, after: record.eventMarker)
                let polls = (eventOnlyPolls[id] ?? 0) + 1
                readsStack = polls >= Self.stackReadEvery || Self.stackSettled(reference, in: events)
                eventOnlyPolls[id] = readsStack ? nil : polls
            }
            var snapshot: StackSnapshot?
            var leftForLater: Set<String> = []
            if readsStack {
                // Polled fast, every signal in: one read a poll that resolves nothing, and the events only once the
                // stack has settled (half the requests to Heat while it finishes the stack).
                async let polledEvents = record.state.isBeingCreated ? [] : cloud.events(of: reference, after: record.eventMarker)
                snapshot = try await cloud.stackStatus(reference)
                events += try await polledEvents
                if let settled = snapshot, !settled.status.isInProgress {
                    // Its outputs: those read early are final, and an early read under way is the very resolution
                    // these need, so it is awaited rather than repeated (a read after ready is not: a scale does not
                    // wait for it).
                    if record.state.isBeingCreated { await outputReads[id]?.value }
                    let known = record.state.isBeingCreated ? earlyOutputs[id] ?? [:] : [:]
                    // The workers' addresses (a Nova read per worker, by Heat) are not needed for ready: read just
                    // after.
                    if !known.isEmpty, known[ClusterRecord.workerAddressesOutput] == nil {
                        leftForLater = [ClusterRecord.workerAddressesOutput]
                    }
                    async let outputs = cloud.outputs(of: settled.reference, knowing: known, leaving: leftForLater)
                    async let settledEvents = fast ? cloud.events(of: reference, after: record.eventMarker) : []
                    snapshot?.outputs = try await outputs
                    events += try await settledEvents
                }
            }
            try update(id) { current in
                let before = current.state
                current.observe(events: events, now: clock.now())
                if readsStack { current.observe(snapshot: snapshot, now: clock.now()) }
                if before != current.state {
                    logger.info("cluster \(current.state.rawValue)", ["cluster": id, "reason": current.stateReason])
                }
            }
            if let after = records[id], after.state != record.state, [.ready, .failed].contains(after.state) {
                refreshInventory(of: after.projectID, through: id)
            }
            if records[id]?.state.isBeingCreated != true {
                earlyOutputs[id] = nil
                outputReads[id] = nil
                if records[id]?.state == .ready, !leftForLater.isEmpty {
                    readLateOutputs(of: id, reference: reference, cloud: cloud)
                }
            } else if let stage = Self.earlyRead(after: events, workers: record.spec.workers) {
                readEarlyOutputs(of: id, reference: reference, cloud: cloud, stage: stage)
            }
        }
    }

    /// Reads the outputs once the master's floating IP exists, and again once every server does: Heat resolves them
    /// (its first read of a stack's outputs takes seconds) while Nova builds the servers, rather than while the install
    /// signals come in or on the way to ready, where only what is still missing is read. One read, beside the polling,
    /// which goes on meanwhile. A failed read is not retried: the read of the completed stack resolves every output
    /// still missing.
    private func readEarlyOutputs(of id: String, reference: StackReference, cloud: any Cloud, stage: EarlyRead) {
        let previous = outputReads[id]
        outputReads[id] = Task { [weak self] in
            await previous?.value
            guard var outputs = try? await cloud.outputs(of: reference) else { return }
            outputs[ClusterRecord.installResultOutput] = nil
            if stage == .masterAddress { outputs[ClusterRecord.workerAddressesOutput] = nil }
            await self?.keepEarlyOutputs(outputs, of: id)
        }
    }

    /// Reads the outputs a ready cluster's read left for later (the workers' addresses), beside the polling; tried
    /// again after a poll interval when the cloud fails, three times in all.
    private func readLateOutputs(of id: String, reference: StackReference, cloud: any Cloud) {
        let wait = configuration.pollInterval
        outputReads[id] = Task { [weak self, clock] in
            for attempt in 1...3 {
                guard let known = await self?.records[id]?.outputs, !Task.isCancelled else { return }
                if let outputs = try? await cloud.outputs(of: reference, knowing: known) {
                    await self?.keepLateOutputs(outputs, of: id)
                    return
                }
                if attempt < 3 { do { try await clock.sleep(seconds: wait) } catch { return } }
            }
        }
    }

    private func keepLateOutputs(_ outputs: [String: String], of id: String) {
        guard records[id] != nil else { return }
        try? update(id) { $0.observe(lateOutputs: outputs) }
    }

    private func keepEarlyOutputs(_ outputs: [String: String], of id: String) {
        guard records[id]?.state.isBeingCreated == true else { return }
        earlyOutputs[id, default: [:]].merge(outputs) { _, new in new }
        try? update(id) { $0.observe(earlyOutputs: outputs) }
    }

    /// What a read of the outputs before ready finds final.
    enum EarlyRead {
        /// The master's floating IP exists: its address and the master's (the port's), and every output made of them.
        case masterAddress
        /// Every server exists: the workers' addresses too.
        case allServers
    }

    /// Which early read `events` call for: the workers' group created (every server exists; with no workers, the
    /// master), else the master's floating IP created, else none.
    nonisolated static func earlyRead(after events: [StackEvent], workers: Int) -> EarlyRead? {
        func created(_ resource: String) -> Bool {
            events.contains { $0.resourceName == resource && $0.resourceStatus == "CREATE_COMPLETE" }
        }
        if created(workers > 0 ? ClusterRecord.workersResource : ClusterRecord.masterResource) { return .allServers }
        return created(ClusterRecord.masterFloatingIPResource) ? .masterAddress : nil
    }

    /// Polls of a cluster being created that read only the events, at most, before the stack is read too: what the
    /// events do not show (a stack deleted behind DISCO's back, a status reason) is seen within as many polls.
    package static let stackReadEvery = 5

    /// Whether `events` include the stack's own move to a settled status (complete or failed).
    nonisolated static func stackSettled(_ stack: StackReference, in events: [StackEvent]) -> Bool {
        events.contains { $0.resourceName == stack.name && !$0.resourceStatus.hasSuffix("_IN_PROGRESS") }
    }

    private func createStack(_ id: String, cloud: any Cloud) async throws {
        guard let data = try store.secret(named: .stackRequest, for: id) else {
            try update(id) { $0.move(to: .failed, reason: "the stack request was lost; delete and create again", at: clock.now()) }
            return
        }
        let stored = try JSONDecoder().decode(StoredStackRequest.self, from: data)
        let record = records[id]!
        let reference: StackReference
        do {
            reference = try await cloud.createStack(stored.stackRequest(name: record.stackName))
        } catch let error as CloudError where Self.refusesStack(error) {
            try update(id) { $0.move(to: .failed, reason: "the cloud refused the stack: \(error.message)", at: clock.now()) }
            return
        }
        try recordStackCreated(id, reference: reference, at: clock.now())
    }

    /// Whether a failed stack create fails the cluster (rather than being retried).
    private static func refusesStack(_ error: CloudError) -> Bool {
        [.badRequest, .quotaExceeded, .forbidden].contains(error.kind)
    }

    private func recordStackCreated(_ id: String, reference: StackReference, at time: Date) throws {
        try update(id) { current in
            current.stackID = reference.id
            current.mark(.stackCreated, at: time)
            current.move(to: .provisioning, reason: "creating the stack", at: clock.now())
        }
        try? store.removeSecret(named: .stackRequest, for: id)
    }

    private func deleteStack(_ id: String, cloud: any Cloud) async throws {
        guard let record = records[id] else { return }
        // A stack whose id was never recorded may still exist under its deterministic name.
        let reference = record.stackReference ?? StackReference(name: record.stackName, id: "")
        // Its status only: the outputs of a stack being deleted are of no use (and resolving them costs Heat).
        let snapshot = try await cloud.stackStatus(reference)
        guard let snapshot else {
            try update(id) { $0.observe(snapshot: nil, now: clock.now()) }
            return
        }
        try update(id) { current in
            current.stackID = snapshot.reference.id
            current.observe(snapshot: snapshot, now: clock.now())
        }
        guard snapshot.status != .deleteInProgress else { return }
        try await cloud.deleteStack(snapshot.reference)
        if snapshot.status == .deleteFailed {
            // Back off between retries of a failing delete.
            throw CloudError(.unavailable, service: "orchestration", message: "delete failed: \(snapshot.statusReason); retrying")
        }
    }

    /// A wait for a log line: "0.4 s", "8 s".
    static func seconds(_ value: Double) -> String {
        value < 10 ? "\((value * 10).rounded() / 10) s" : "\(Int(value.rounded())) s"
    }

    /// Attempts at revoking a deleted cluster's credential while Keystone is unavailable or unreachable, or refuses the
    /// credential deleting itself while no token of its owner is at hand.
    static let maxRevokeAttempts = 6

    private func finishDelete(_ id: String) async {
        if let data = try? store.secret(named: .credential, for: id),
           let credential = try? JSONDecoder().decode(DelegatedCredential.self, from: data) {
            // Cut short by a stop: the record stays, and the next start finishes the delete.
            guard await revoke(credential, of: id) || !Task.isCancelled else { return }
        }
        do {
            try store.remove(id: id)
            records[id] = nil
            drivers[id] = nil
            sessions[id] = nil
            privateKeys[id] = nil
            earlyOutputs[id] = nil
            outputReads[id] = nil
            eventOnlyPolls[id] = nil
            keylessClusters.remove(id)
            passwords[id] = nil
            for observer in removalObservers { observer(id) }
            logger.info("cluster deleted", ["cluster": id])
        } catch {
            logger.error("cannot remove the cluster's record: \(error)", ["cluster": id])
        }
    }

    /// Revokes the credential, retrying with backoff while Keystone is unavailable (the record is removed after this,
    /// and with it the last trace of the credential); what cannot be revoked is logged with its id for the operator.
    /// - Returns: whether the credential is gone.
    @discardableResult
    private func revoke(_ credential: DelegatedCredential, of id: String) async -> Bool {
        var delay = configuration.pollInterval
        var lastError: any Error = CancellationError()
        for attempt in 1...Self.maxRevokeAttempts {
            do {
                try await provider.revoke(credential)
                return true
            } catch let error as CloudError where [.unavailable, .unreachable, .forbidden].contains(error.kind)
                        && attempt < Self.maxRevokeAttempts {
                // Forbidden: no usable token of the owner, and a restricted credential may not delete itself; the
                // owner's next request brings a token.
                let why = error.kind == .forbidden ? "waiting for a token of its owner" : "\(error)"
                logger.warning("credential not revoked yet: \(why); retrying in \(Self.seconds(delay))", ["cluster": id])
                if error.kind != .forbidden { cloudErrors[CloudErrorLabel(error), default: 0] += 1 }
                do { try await clock.sleep(seconds: delay) } catch { return false }
                delay = min(delay * 2, configuration.maxPollInterval)
            } catch {
                if Task.isCancelled { return false }
                lastError = error
                break
            }
        }
        logger.error("application credential \(credential.id) of user \(credential.userID) was not revoked "
                     + "(\(lastError)); delete it with: openstack application credential delete \(credential.id)", ["cluster": id])
        return false
    }

    private func sweepLoop() async {
        while !Task.isCancelled {
            let now = clock.now()
            for record in records.values where !record.isDeleteRequested && record.state != .deleted {
                guard let expiry = record.expiresAt, expiry <= now else { continue }
                try? delete(record.id, projectID: record.projectID, reason: "time-to-live expired")
            }
            do { try await clock.sleep(seconds: configuration.ttlSweepInterval) } catch { break }
        }
    }

    /// Reports (or deletes) DISCO stacks without a record, and marks settled records whose stack vanished.
    /// One stack listing per project, so a large registry costs few cloud calls.
    private func reconcileWithCloud() async {
        defer { isReconciledWithCloud = true }
        // Per project, the credential of one of its most recently changed clusters (a few tries: old ones may be gone).
        var candidates: [String: [ClusterRecord]] = [:]
        for record in records.values where record.state != .deleted { candidates[record.projectID, default: []].append(record) }
        for (projectID, projectRecords) in candidates.sorted(by: { $0.key < $1.key }) {
            if Task.isCancelled { return }
            let newestFirst = projectRecords.sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
            guard let cloud = newestFirst.prefix(5).lazy.compactMap({ try? self.session(for: $0.id) }).first else {
                logger.warning("no cloud credential to check project \(projectID)'s stacks at start")
                continue
            }
            guard let stacks = try? await cloud.stacks(taggedWith: Self.stackTag) else { continue }
            let inCloud = Set(stacks.map(\.reference.name))
            // Read after the listing: the API serves meanwhile, and a cluster made since has its record before its stack.
            let known = Set(records.values.map(\.stackName))
            for stack in stacks where !known.contains(stack.reference.name) {
                orphans.append(stack)
                logger.warning("stack \(stack.reference.name) is tagged as DISCO's but has no record",
                               ["policy": configuration.orphanPolicy.rawValue])
                if configuration.orphanPolicy == .delete { try? await cloud.deleteStack(stack.reference) }
            }
            let settled = records.values.filter {
                $0.projectID == projectID && !$0.state.isActive && $0.state != .deleted && $0.stackID != nil
                    && !inCloud.contains($0.stackName)
            }
            for candidate in settled {
                // Not in the tagged listing: confirm with a direct read before marking it.
                guard let reference = candidate.stackReference, (try? await cloud.stackStatus(reference)) == .some(nil) else { continue }
                try? update(candidate.id) { $0.move(to: .failed, reason: "the stack no longer exists in the cloud", at: clock.now()) }
                logger.warning("its stack \(candidate.stackName) vanished", ["cluster": candidate.id])
            }
        }
    }

    // MARK: - Credentials without a cluster

    /// How long after a failed listing of a user's credentials their requests start another.
    package static let credentialCheckRetryDelay: Double = 300

    /// Compares the user's delegated credentials with the registry, once per user after each start, in the background
    /// (the caller does not wait): a credential named `disco-<cluster id>` whose cluster has no record, and is not
    /// being created or deleted, was left behind (e.g. by a crash between Keystone's answer and the record). DISCO
    /// has no account of its own to list them with, so the first request of each user brings the token for it.
    /// Logged with the credential's id; revoked as well when the orphan policy is `delete`. A listing that fails is tried
    /// again on a request of the user's after ``credentialCheckRetryDelay``.
    /// - Returns: Whether this call started a check.
    @discardableResult
    public nonisolated func checkCredentials(token: String, principal: Principal) -> Bool {
        guard !principal.userID.isEmpty, credentialsChecked.withLock({ $0.insert(principal.userID).inserted }) else {
            return false
        }
        Task { await self.findOrphanCredentials(token: token, principal: principal) }
        return true
    }

    private func findOrphanCredentials(token: String, principal: Principal) async {
        let listed: [ListedCredential]
        do {
            listed = try await provider.delegatedCredentials(token: token, principal: principal)
        } catch {
            logger.warning("cannot list the credentials of user \(principal.userID) to look for ones left behind: \(error); "
                           + "trying again on a request of theirs after \(Self.seconds(Self.credentialCheckRetryDelay))")
            // Not on the user's very next request: a Keystone that fails would be asked again on every one.
            Task { [weak self, clock] in
                try? await clock.sleep(seconds: Self.credentialCheckRetryDelay)
                self?.credentialsChecked.withLock { _ = $0.remove(principal.userID) }
            }
            return
        }
        // Read after the listing: a create that made its credential meanwhile is in flight or recorded by now.
        let left = listed.filter { credential in
            guard let id = Self.clusterID(ofCredentialNamed: credential.name) else { return false }
            return records[id] == nil && drivers[id] == nil && !admission.isInFlight(id)
        }
        for credential in left where !orphanCredentials.contains(credential) {
            orphanCredentials.append(credential)
            logger.warning("application credential \(credential.id) (\(credential.name)) of user \(principal.userID) has no "
                           + "cluster behind it", ["policy": configuration.orphanPolicy.rawValue])
            guard configuration.orphanPolicy == .delete else { continue }
            do {
                try await provider.revokeDelegatedCredential(id: credential.id, token: token, principal: principal)
                orphanCredentials.removeAll { $0 == credential }
                logger.info("application credential \(credential.id) (\(credential.name)) revoked")
            } catch {
                logger.warning("cannot revoke application credential \(credential.id): \(error)")
            }
        }
    }

    /// The name of a cluster's delegated credential.
    static func credentialName(ofCluster id: String) -> String { "disco-\(id)" }

    /// The cluster id in a credential name DISCO gives (`disco-` and a UUID in lower case), or `nil`.
    static func clusterID(ofCredentialNamed name: String) -> String? {
        guard name.hasPrefix("disco-") else { return nil }
        let id = String(name.dropFirst("disco-".count))
        guard let uuid = UUID(uuidString: id), uuid.uuidString.lowercased() == id else { return nil }
        return id
    }

    // MARK: - Helpers

    private func withDefaults(_ spec: ClusterSpec) -> ClusterSpec {
        var spec = spec
        if spec.ttlSeconds == nil { spec.ttlSeconds = configuration.defaultTTLSeconds }
        return spec
    }

    /// The spec with a generated password for every required secret property of a requested component that was left
    /// out (the seed README's `{'jupyter': ''}`), and those passwords by `component.property`.
    private func withGeneratedSecrets(_ spec: ClusterSpec) -> (spec: ClusterSpec, generated: [String: String]) {
        var spec = spec
        var generated: [String: String] = [:]
        for (component, given) in spec.components {
            guard let manifest = planner.catalog[component]?.manifest else { continue }
            for (key, definition) in manifest.properties where definition.isSecret && definition.isRequired && given[key] == nil {
                let password = Self.generatedPassword()
                spec.components[component, default: [:]][key] = password
                generated["\(component).\(key)"] = password
            }
        }
        return (spec, generated)
    }

    /// 20 characters of letters and digits from the system's random source (about 119 bits).
    static func generatedPassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }

    private func session(for id: String) throws -> any Cloud {
        if let session = sessions[id] { return session }
        guard let data = try store.secret(named: .credential, for: id) else {
            throw ServiceError.internal("cluster \(id) has no cloud credential")
        }
        let session = provider.cloud(credential: try JSONDecoder().decode(DelegatedCredential.self, from: data))
        sessions[id] = session
        return session
    }

    private func latestMarker(of id: String, reference: StackReference) async throws(ServiceError) -> String? {
        do {
            let cloud = try session(for: id)
            let events = try await cloud.events(of: reference, after: records[id]?.eventMarker)
            return events.last?.id
        } catch {
            throw serviceError(error, service: "orchestration")
        }
    }

    private func update(_ id: String, _ change: (inout ClusterRecord) -> Void) throws {
        guard var record = records[id] else { return }
        let before = record
        change(&record)
        if record != before { try persist(record) }
    }

    private func persist(_ record: ClusterRecord) throws(ServiceError) {
        do {
            try store.put(record)
        } catch {
            logger.error("cannot record the cluster: \(error)", ["cluster": record.id])
            throw .internal("the change could not be recorded")
        }
        observeNewMarks(of: record, before: records[record.id])
        records[record.id] = record
    }

    /// Counts the timeline's marks that `before` did not have (a timeline only grows).
    private func observeNewMarks(of record: ClusterRecord, before: ClusterRecord?) {
        let marks = record.timeline ?? []
        for mark in marks.dropFirst(before?.timeline?.count ?? 0) { createPhases.observe(mark) }
    }

    private func serviceError(_ error: any Error, service: String) -> ServiceError {
        if let error = error as? ServiceError { return error }
        let cloudError = error as? CloudError ?? CloudError(.unreachable, service: service, message: "\(error)")
        cloudErrors[CloudErrorLabel(cloudError), default: 0] += 1
        return .cloud(cloudError)
    }
}

/// The create request kept until the stack exists, so a restart can finish it.
struct StoredStackRequest: Codable {
    var templateJSON: String
    var parameters: [String: String]
    var tags: [String]
    var timeoutMinutes: Int

    func stackRequest(name: String) -> StackRequest {
        StackRequest(name: name, templateJSON: templateJSON, parameters: parameters, tags: tags,
                     timeoutMinutes: timeoutMinutes, disableRollback: true)
    }
}
