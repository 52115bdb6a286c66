import DiscoCore
import DiscoOpenStack
import Foundation
@testable import DiscoServer

/// The whole service manager in-process, over an instant simulated cloud, driven by a manual clock.
struct TestApp {
    let app: DiscoApplication
    let service: ClusterService
    let simulator: SimulatedCloud
    let clock: ManualClock
    let stateDirectory: URL

    static func make(users: [SimulatedCloud.User] = [
        .init(name: "demo", password: "demo", projectName: "demo"),
        .init(name: "alice", password: "alice-pw", projectName: "other"),
    ], timing: SimulatedCloud.Timing = .instant, stateDirectory: URL? = nil, ttl: Int? = nil,
                     quota: SimulatedCloud.Quota = .init(), delegatedTrusts: SimulatedCloud.DelegatedTrustPolicy = .allowed,
                     unrestrictedCredentials: Bool = false, logger: Logger = .disabled,
                     cloudConfiguration: (inout SimulatedCloud.Configuration) -> Void = { _ in },
                     configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestApp {
        let clock = ManualClock(start: Date())
        var cloud = SimulatedCloud.Configuration(users: users, quota: quota, timing: timing)
        cloud.delegatedTrusts = delegatedTrusts
        cloudConfiguration(&cloud)
        let simulator = SimulatedCloud(configuration: cloud, clock: clock)
        let directory = stateDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("disco-sm-test-\(UUID().uuidString)")
        return try await start(simulator: simulator, clock: clock, stateDirectory: directory, ttl: ttl,
                               unrestrictedCredentials: unrestrictedCredentials, logger: logger, configure: configure)
    }

    /// A service manager over `simulator` and `stateDirectory`.
    private static func start(simulator: SimulatedCloud, clock: ManualClock, stateDirectory: URL, ttl: Int? = nil,
                              unrestrictedCredentials: Bool = false, logger: Logger = .disabled,
                              configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestApp {
        var config = ServerConfiguration(stateDirectory: stateDirectory.path)
        config.pollInterval = 1
        config.defaultTTLSeconds = ttl
        config.unrestrictedCredentials = unrestrictedCredentials
        // The names ``request(_:_:headers:body:from:)`` sends in Host (the listener is 127.0.0.1).
        config.allowedHosts = try HostAllowList(parsing: "disco.test, other.test")
        configure(&config)
        let server = try await ServiceManager.make(config, logger: logger, clock: clock, simulator: simulator)
        return TestApp(app: server.application, service: server.service, simulator: simulator, clock: clock,
                       stateDirectory: stateDirectory)
    }

    /// Stops this service manager and starts a new one over the same state directory, cloud and clock: as after a
    /// restart, it knows no user token until a request brings one.
    func restarted(unrestrictedCredentials: Bool = false) async throws -> TestApp {
        await service.stop()
        return try await Self.start(simulator: simulator, clock: clock, stateDirectory: stateDirectory,
                                    unrestrictedCredentials: unrestrictedCredentials)
    }

    /// A token for a simulated user.
    func token(_ user: String = "demo", _ password: String = "demo", project: String = "demo") async throws -> String {
        try await login(user, password, project: project).token
    }

    /// A token and its project id.
    func login(_ user: String = "demo", _ password: String = "demo", project: String = "demo") async throws -> (token: String, projectID: String) {
        let response = await request("POST", "/api/v1/tokens", headers: [("Content-Type", "application/json")], body: #"{"username":"\#(user)","password":"\#(password)","project":"\#(project)"}"#)
        guard response.status == 201, let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let token = object["token"] as? String, let projectID = object["projectID"] as? String else {
            throw TestFailure("no token: \(response.status) \(response.text)")
        }
        return (token, projectID)
    }

    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "",
                 from remoteAddress: String = "127.0.0.1:0") async -> HTTPServerResponse {
        var all = HTTPHeaders([("Host", "disco.test:8888")])
        for (name, value) in headers { all.add(name, value) }
        return await app.handle(HTTPServerRequest(method: method, target: target, headers: all, body: Data(body.utf8),
                                                  remoteAddress: remoteAddress))
    }

    /// Moves the clock until `condition` holds (each step lets the reconciler run). Bounded by `upTo` steps of
    /// at least 5 ms each and, on a loaded machine, by 60 s of real time.
    func settle(upTo steps: Int = 200, step: Double = 1, until condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var taken = 0
        while ContinuousClock.now < deadline {
            if await condition() { return }
            // Past the step budget, keep waiting in real time without moving the clock further.
            if taken < steps {
                clock.advance(by: step)
                taken += 1
            }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        if await condition() { return }
        let states = await service.countsByState()
        throw TestFailure("condition not reached after \(taken) steps; clusters by state: \(states)")
    }

    /// Signs in, creates a cluster from `spec` through the REST API and follows it to `ready`.
    func readyCluster(spec: String) async throws -> (token: String, project: String, id: String, stack: String) {
        let (token, project) = try await login()
        let response = await request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: spec)
        guard response.status == 201, let id = try response.json()["id"] as? String else {
            throw TestFailure("create failed: \(response.status) \(response.text)")
        }
        try await settle { await state(of: id, project: project) == .ready }
        let stack = try await service.get(id, projectID: project).stackName
        return (token, project, id, stack)
    }

    /// Reads of a project's inventory the simulated cloud has answered so far (one Nova limits read each).
    var inventoryReads: Int {
        simulator.requests.filter { $0.service == .compute && $0.method == "GET" && $0.path.hasSuffix("/limits") }.count
    }

    func state(of id: String, project: String) async -> ClusterState? {
        try? await service.get(id, projectID: project, includeDeleting: true).state
    }

    func stop() async {
        await service.stop()
        try? FileManager.default.removeItem(at: stateDirectory)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension HTTPServerResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw TestFailure("not a JSON object: \(text)") }
        return object
    }
}
