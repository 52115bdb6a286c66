import DiscoCore
import DiscoOCCI
import Foundation
import Testing
@testable import DiscoServer

/// What an OCCI read of a ready cluster hands out: keys a client decodes once, and no public URL for an internal UI.
@Suite struct OCCIEntityReadTests {
    /// A ready cluster with Spark (internal history UI) and Jupyter (public, password login), read as `text/occi`.
    func readyCluster() async throws -> (TestApp, id: String, attributes: OCCIAttributes) {
        let t = try await TestApp.make()
        let (token, project) = try await t.login()
        let attributes = #"icclab.disco.components.heat.slavecount="1",icclab.disco.components.heat.masterflavor="m1.large","#
            + #"icclab.disco.dependencies.inject="{'spark': '', 'jupyter': ''}","#
            + #"icclab.disco.components.jupyter.password="long-enough-pw""#
        let created = await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: attributes))
        #expect(created.status == 201, "\(created.text)")
        let id = String(try #require(created.headers["Location"]).split(separator: "/").last!)
        try await t.settle { await t.state(of: id, project: project) == .ready }
        let shown = await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Accept", "text/occi")])
        #expect(shown.status == 200)
        var read = OCCIAttributes()
        for value in shown.headers.values("X-OCCI-Attribute") {
            for (name, attribute) in try OCCIParser().parseAttributeHeader(value) { read[name] = attribute }
        }
        return (t, id, read)
    }

    @Test func thePrivateKeyDecodesInOneRound() async throws {
        let (t, id, attributes) = try await readyCluster()
        defer { Task { await t.stop() } }
        let stored = try Data(contentsOf: t.stateDirectory.appendingPathComponent("secrets/\(id)/ssh_private_key"))
        let key = try #require(attributes["ssh_private_key"]?.stringValue)
        #expect(key.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
        #expect(Data(key.utf8) == stored)
        let (token, project) = try await t.login()
        #expect(await t.state(of: id, project: project) == .ready)
        let json = try await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Accept", "application/occi+json")]).json()
        #expect((json["attributes"] as? [String: Any])?["ssh_private_key"] as? String == key)
    }

    @Test func anInternalUIIsReachedThroughATunnel() async throws {
        let (t, _, attributes) = try await readyCluster()
        defer { Task { await t.stop() } }
        let ip = try #require(attributes["external_ip"]?.stringValue)
        let history = try #require(attributes["disco.ui.spark.spark_history"]?.stringValue)
        #expect(history == "localhost:18080/ through an SSH tunnel: ssh -N -L 18080:localhost:18080 ubuntu@\(ip)")
        let jupyter = try #require(attributes["disco.ui.jupyter.jupyterlab"]?.stringValue)
        #expect(jupyter.hasPrefix("https://\(ip):8888/"), "\(jupyter)")
    }
}
