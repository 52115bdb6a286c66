import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

@Suite struct RESTAPITests {
    @Test func validationProblemsCarryFieldPaths() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let body = #"{"name":"9x","master":{"image":"ubuntu-2204","flavor":"m1.small"},"workers":-3,"externalNetwork":"public","components":{"zeppelin":{},"jupyter":{}}}"#
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: body)
        #expect(response.status == 400)
        let error = try #require(try response.json()["error"] as? [String: Any])
        let paths = (error["problems"] as? [[String: Any]])?.compactMap { $0["path"] as? String } ?? []
        // A left-out Jupyter password is generated (GeneratedPasswordTests), so it is no problem.
        #expect(paths == ["name", "workers", "master.image", "worker.image"])
        let decoding = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: #"{"name":"a","workers":"two"}"#)
        #expect(decoding.status == 400)
        #expect(decoding.text.contains("master: is missing"), "\(decoding.text)")
    }

    /// The operator's default_image and default_flavor (and, on the simulated cloud, its external network) fill in what
    /// a REST create leaves out; a worker field left out is the master's. The OpenAPI document says so.
    @Test func operatorDefaultsFillWhatARESTCreateLeavesOut() async throws {
        let t = try await TestApp.make(configure: { $0.defaultImage = "debian-12"; $0.defaultFlavor = "m1.large" })
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let body = #"{"name":"defaults","master":{},"worker":{"flavor":"m1.small"},"workers":1}"#
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: body)
        #expect(response.status == 201, "\(response.text)")
        let view = try response.json()
        #expect(view["master"] as? [String: String] == ["image": "debian-12", "flavor": "m1.large"])
        #expect(view["worker"] as? [String: String] == ["image": "debian-12", "flavor": "m1.small"])
        #expect(view["externalNetwork"] as? String == SpecDefaults.externalNetwork)
        let document = try await t.request("GET", "/api/v1/openapi.json").json()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let node = try #require(schemas["NodeSpec"] as? [String: Any])
        #expect(node["required"] == nil)
        #expect(((node["properties"] as? [String: Any])?["image"] as? [String: Any])?["default"] as? String == "debian-12")
        #expect((schemas["ClusterSpec"] as? [String: Any])?["required"] as? [String] == ["name", "master", "workers"])
    }

    /// A spec's allowed networks reach the template's security group, over REST and OCCI; a bad one is a 400 naming it.
    @Test func allowedSourcesNarrowTheSecurityGroup() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let body = #"{"name":"narrow","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":1,"externalNetwork":"public","allowedSources":["203.0.113.0/24"]}"#
        let plan = await t.request("POST", "/api/v1/plan?format=json", headers: [("X-Auth-Token", token)], body: body)
        #expect(plan.status == 200, "\(plan.text)")
        let template = try #require(try plan.json()["template"] as? String)
        #expect(template.contains(#""remote_ip_prefix": "203.0.113.0/24""#) && !template.contains("0.0.0.0/0"), "\(template)")
        let bad = body.replacingOccurrences(of: "203.0.113.0/24", with: "203.0.113.9/24")
        let refused = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: bad)
        #expect(refused.status == 400)
        #expect(refused.text.contains("allowedSources[0]") && refused.text.contains("the network is 203.0.113.0/24"), "\(refused.text)")
        let occi = await t.request("POST", "/disco/", headers: [
            ("X-Auth-Token", token), ("Content-Type", "text/occi"),
            ("Category", #"disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";"#),
            ("X-OCCI-Attribute", #"icclab.disco.components.heat.masterimage="ubuntu-22.04", icclab.disco.components.heat.masterflavor="m1.large", icclab.disco.components.heat.slavecount="1", icclab.disco.allowed_sources="198.51.100.0/24, 2001:db8::/32""#),
        ])
        #expect(occi.status == 201, "\(occi.text)")
        let id = try #require(occi.headers["Location"]?.split(separator: "/").last.map(String.init))
        let record = try await t.service.get(id, projectID: project)
        #expect(record.spec.allowedSources == ["198.51.100.0/24", "2001:db8::/32"])
    }

    /// A property value longer than its pattern admits (every value of the built-in catalog is bounded, so every
    /// spec the schema admits fits Nova's user-data limit) is refused before anything is made, naming the field.
    @Test func anOverlongPropertyValueIsA400WithItsFieldPath() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let spec = ">=4" + String(repeating: "0", count: 40_000)
        let body = #"{"name":"big","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":1,"externalNetwork":"public","components":{"jupyter":{"password":"longenough","version_spec":""# + spec + #""}}}"#
        for path in ["/api/v1/clusters", "/api/v1/plan"] {
            let response = await t.request("POST", path, headers: [("X-Auth-Token", token)], body: body)
            #expect(response.status == 400, "\(path): \(response.status)")
            let error = try #require(try response.json()["error"] as? [String: Any])
            let problems = error["problems"] as? [[String: Any]] ?? []
            #expect(problems.compactMap { $0["path"] as? String } == ["components.jupyter.version_spec"], "\(response.text.prefix(2000))")
            #expect((error["message"] as? String ?? "").contains("does not match the allowed pattern"))
        }
        #expect(t.simulator.stackNames.isEmpty)
    }

    @Test(arguments: [
        (#""workers":1.5"#, "workers", "workers: 1.5 is not a whole number"),
        (#""workers":2,"ttlSecond":60"#, "ttlSecond", "ttlSecond: is not a field (did you mean 'ttlSeconds'?)"),
        (#""workers":2,"worker":{"image":"ubuntu-22.04","flavour":"m1.small"}"#, "worker.flavour", "did you mean 'flavor'?"),
        ("\"workers\":2,\n\"tags\":[\"a\" \"b\"]", "body", "line 2, column 13: expected ',' or ']'"),
    ])
    func bodiesFoundationCannotExplainGetTheFieldOrPlace(members: String, path: String, message: String) async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let body = #"{"name":"a","externalNetwork":"public","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"# + members + "}"
        let response = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: body)
        #expect(response.status == 400)
        let error = try #require(try response.json()["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains(message) == true, "\(response.text)")
        #expect((error["problems"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == [path])
        #expect(t.simulator.stackNames.isEmpty)
    }

    /// A preview's secret hashes have a salt of their own each time: a fixed one would let anyone who reads plans
    /// compare password hashes across users and precompute them.
    @Test func planShowsNeitherASecretNorItsHash() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let body = #"{"name":"p","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":1,"externalNetwork":"public","components":{"jupyter":{"password":"same password"}}}"#
        let response = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: body)
        #expect(response.status == 200, "\(response.text.prefix(500))")
        let match = response.text.firstMatch(of: /DISCO_JUPYTER_PASSWORD_HASH='([^']+)'/)
        #expect(try #require(match).1 == PlanContext.secretHashPlaceholder)
        #expect(!response.text.contains("same password") && !response.text.contains("$argon2id$"))
    }

    @Test func planShowsComponentsWithReasonsTotalsAndTemplate() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let body = #"{"name":"p","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":3,"externalNetwork":"public","components":{"zeppelin":{}}}"#
        let response = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token)], body: body)
        #expect(response.status == 200, "\(response.text)")
        let object = try response.json()
        let plan = try #require(object["plan"] as? [String: Any])
        let components = (plan["components"] as? [[String: Any]])?.map { "\($0["name"]!):\($0["reason"]!)" } ?? []
        #expect(components.contains(where: { $0.hasPrefix("spark:") }))
        #expect((plan["totals"] as? [String: Any])?["vcpus"] as? Int == 16)
        #expect((object["template"] as? String)?.hasPrefix("heat_template_version:") == true)
        #expect(t.simulator.stackNames.isEmpty)
    }

    @Test func lookupsAndCatalog() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let flavors = try await t.request("GET", "/api/v1/flavors", headers: [("X-Auth-Token", token)]).json()
        #expect((flavors["flavors"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.contains("m1.large") == true)
        let networks = try await t.request("GET", "/api/v1/networks", headers: [("X-Auth-Token", token)]).json()
        #expect((networks["networks"] as? [[String: Any]])?.contains { $0["name"] as? String == "public" && $0["isExternal"] as? Bool == true } == true)
        let components = try await t.request("GET", "/api/v1/components").json()
        #expect((components["components"] as? [[String: Any]])?.count == 9)
    }

    @Test func openAPIDocumentDescribesEveryRoute() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let document = try await t.request("GET", "/api/v1/openapi.json").json()
        let paths = Set(((document["paths"] as? [String: Any]) ?? [:]).keys)
        #expect(paths == ["/tokens", "/components", "/images", "/flavors", "/networks", "/plan", "/clusters", "/clusters/{id}",
                          "/clusters/{id}/actions", "/clusters/{id}/events", "/clusters/{id}/ssh-key", "/clusters/{id}/passwords"])
    }

    @Test func healthMetricsAndNoSecretsInLogs() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        #expect(await t.request("GET", "/healthz").status == 200)
        let token = try await t.token()
        _ = await t.request("GET", "/disco/", headers: [("X-Auth-Token", token)])
        let metrics = await t.request("GET", "/metrics")
        #expect(metrics.text.contains(#"disco_http_requests_total{route="/disco/",method="GET",status="200"} 1"#))
        #expect(metrics.text.contains(#"disco_clusters{state="ready"} 0"#))
        #if os(Linux)
        // This test process's own memory: several MiB resident, at least a MiB from malloc.
        for (name, least) in [("process_resident_memory_bytes", 4 << 20), ("disco_heap_in_use_bytes", 1 << 20)] {
            let line = metrics.text.split(separator: "\n").first { $0.hasPrefix("\(name) ") }
            let value = line.flatMap { Int($0.dropFirst(name.count + 1)) }
            #expect((value ?? 0) >= least, "\(name): \(line ?? "missing")")
        }
        #endif
        let wrong = await t.request("POST", "/api/v1/tokens", headers: [("Content-Type", "application/json")], body: #"{"username":"demo","password":"wrong-pass-42"}"#)
        #expect(wrong.status == 401)
        #expect(!wrong.text.contains("wrong-pass-42"))
    }

    @Test func requestLogLinesRedactSecrets() async throws {
        let lines = LineCollector()
        let logger = Logger(label: "test", level: .debug, sink: { lines.append($0) })
        logger.info("login password=hunter2 token: gAAAAAB123 key -----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----")
        let text = lines.all.joined()
        #expect(!text.contains("hunter2") && !text.contains("gAAAAAB123") && !text.contains("abc"))
        #expect(text.contains("[redacted]"))
    }
}

final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite struct RESTListingTests {
    @Test func listingPagesCarryANextLinkTheCLIFollows() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        for n in 0..<3 {
            let body = #"{"name":"page\#(n)","master":{"image":"ubuntu-22.04","flavor":"m1.small"},"workers":0,"externalNetwork":"public"}"#
            let created = await t.request("POST", "/api/v1/clusters", headers: [("X-Auth-Token", token)], body: body)
            #expect(created.status == 201, "\(created.text)")
        }
        func names(_ listing: [String: Any]) -> [String] {
            (listing["clusters"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        }
        let all = try await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", token)]).json()
        #expect(Set(names(all)) == ["page0", "page1", "page2"])
        #expect(all["next"] == nil)
        let first = try await t.request("GET", "/api/v1/clusters?limit=2", headers: [("X-Auth-Token", token)]).json()
        #expect(names(first) == Array(names(all).prefix(2)))
        let next = try #require(first["next"] as? String)
        let second = try await t.request("GET", next, headers: [("X-Auth-Token", token)]).json()
        #expect(names(second) == [names(all)[2]])
        #expect(second["next"] == nil)
        // The OCCI listing's ids come in the same order, and a cluster being deleted leaves both listings.
        let project = try await t.login().projectID
        #expect(await t.service.listIDs(projectID: project) == (all["clusters"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
        let doomed = try #require((all["clusters"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(await t.request("DELETE", "/api/v1/clusters/\(doomed)", headers: [("X-Auth-Token", token)]).status == 202)
        #expect(await t.service.listIDs(projectID: project) == (await t.service.list(projectID: project)).map(\.id))
        #expect(await !t.service.listIDs(projectID: project).contains(doomed))
        // The state filter: the remaining clusters are ready (instant cloud) or deleting.
        try await t.settle { await t.service.countsByState()[.ready] == 2 }
        let ready = try await t.request("GET", "/api/v1/clusters?state=ready", headers: [("X-Auth-Token", token)]).json()
        #expect(Set(names(ready)) == Set(names(all)).subtracting(names(all).prefix(1)))
        let none = try await t.request("GET", "/api/v1/clusters?state=suspended", headers: [("X-Auth-Token", token)]).json()
        #expect(names(none).isEmpty)
        let bad = await t.request("GET", "/api/v1/clusters?limit=0", headers: [("X-Auth-Token", token)])
        #expect(bad.status == 400)
        #expect(bad.text.contains("limit: '0' is not a page size; use 1…1000"))
    }
}

/// Clusters belong to projects: a token without one (domain-scoped or unscoped) is refused with what to get instead,
/// rather than sharing one empty project with every other such token.
@Suite struct ProjectScopeTests {
    @Test func aDomainScopedTokenIsRefusedNamingTheFix() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let tokens = URL(string: t.simulator.authURL.absoluteString + "/auth/tokens")!
        let login = try await t.simulator.send(HTTPRequest(method: "POST", url: tokens, headers: [("Content-Type", "application/json")], body: Data("""
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Default"}, "password": "demo"}}},
                      "scope": {"domain": {"name": "Default"}}}}
            """.utf8)))
        #expect(login.status == 201)
        let token = try #require(login.header("X-Subject-Token"))
        for (method, target) in [("GET", "/api/v1/clusters"), ("GET", "/disco/")] {
            let answer = await t.request(method, target, headers: [("X-Auth-Token", token)])
            #expect(answer.status == 403, "\(target): \(answer.text)")
            #expect(answer.text.contains("the token is not scoped to a project"), "\(answer.text)")
        }
        let scoped = try await t.token()
        #expect(await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", scoped)]).status == 200)
    }
}
