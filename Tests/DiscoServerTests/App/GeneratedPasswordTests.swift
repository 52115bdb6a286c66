import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// The seed README creates a Jupyter cluster with `{'jupyter': ''}` and no password: DISCO generates a strong one,
/// shows it to the cluster's owner on reads (as the SSH private key), and sends the node only its argon2id hash.
@Suite struct GeneratedPasswordTests {
    @Test func seedReadmeJupyterWithoutPasswordGetsOneShownOnlyToItsOwner() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, project) = try await t.login()
        let attributes = OCCIAPITests.readmeAttributes.replacingOccurrences(of: "{'spark': '','hadoop': ''}", with: "{'jupyter': ''}")
        #expect(attributes.contains("{'jupyter': ''}"))
        let created = await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: attributes))
        #expect(created.status == 201, "\(created.text)")
        let id = String(try #require(created.headers["Location"]).split(separator: "/").last!)

        let shown = await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", token), ("Accept", "text/plain")])
        let match = try #require(shown.text.firstMatch(of: /icclab\.disco\.components\.jupyter\.password="([^"]*)"/), "\(shown.text)")
        let password = String(match.1)
        #expect(password.count == 20 && password.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "\(password)")
        let rest = try await t.request("GET", "/api/v1/clusters/\(id)/passwords", headers: [("X-Auth-Token", token)]).json()
        #expect(rest["passwords"] as? [String: String] == ["jupyter.password": password])

        // Another project does not find the cluster; listings and the REST view never carry the password.
        let alice = try await t.token("alice", "alice-pw", project: "other")
        #expect(await t.request("GET", "/disco/\(id)", headers: [("X-Auth-Token", alice)]).status == 404)
        #expect(await t.request("GET", "/api/v1/clusters/\(id)/passwords", headers: [("X-Auth-Token", alice)]).status == 404)
        for path in ["/disco/", "/api/v1/clusters", "/api/v1/clusters/\(id)"] {
            #expect(!(await t.request("GET", path, headers: [("X-Auth-Token", token)]).text.contains(password)), "\(path)")
        }

        // The stack has only its argon2id hash, and that hash verifies the password.
        let record = try await t.service.get(id, projectID: project)
        try await t.settle { (try? await t.service.get(id, projectID: project).stackID) != nil }
        let stackID = try #require(try await t.service.get(id, projectID: project).stackID)
        let url = try #require(URL(string: "\(t.simulator.host)/heat/v1/\(project)/stacks/\(record.stackName)/\(stackID)/template"))
        let body = try await t.simulator.send(HTTPRequest(method: "GET", url: url, headers: [("X-Auth-Token", token)])).body
        #expect(!String(decoding: body, as: UTF8.self).contains(password))
        let script = try #require(try JSONValue.parse(body)["resources"]?["master"]?["properties"]?["user_data"]?["str_replace"]?["template"]?.stringValue)
        let hash = try #require(script.firstMatch(of: /DISCO_JUPYTER_PASSWORD_HASH='(argon2:[^']+)'/)).1
        let salt = try #require(hash.split(separator: "$").dropLast().last)
        let saltBytes = try #require(Data(base64Encoded: String(salt) + String(repeating: "=", count: (4 - salt.count % 4) % 4)))
        #expect(PasswordHash.jupyter(password, salt: Array(saltBytes)) == String(hash))

        // On disk it is only in the cluster's secret file.
        let files = FileManager.default.enumerator(at: t.stateDirectory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        let holding = files.filter { (try? String(contentsOf: $0, encoding: .utf8))?.contains(password) == true }.map(\.lastPathComponent)
        #expect(holding == ["generated_passwords.json"], "\(holding)")
    }
}
