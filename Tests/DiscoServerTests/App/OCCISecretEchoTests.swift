import DiscoCore
import Foundation
import Synchronization
import Testing
@testable import DiscoServer

/// OCCI parse and inject errors give positions, not values: a password in a malformed attribute reaches neither
/// the answer (body, `X-OCCI-Error`) nor the log.
@Suite struct OCCISecretEchoTests {
    static let secret = "LeakMePw123456"
    static let base = """
        icclab.disco.components.heat.masterimage="ubuntu-22.04",icclab.disco.components.heat.slaveimage="ubuntu-22.04",\
        icclab.disco.components.heat.masterflavor="m1.small",icclab.disco.components.heat.slaveflavor="m1.small",\
        icclab.disco.components.heat.externalnetworkname="public"
        """

    /// A create request: its `Content-Type`, its `X-OCCI-Attribute` header (text/occi) and its body.
    struct Create: Sendable, CustomTestStringConvertible {
        var contentType = "text/occi"
        var attributes: String?
        var body = ""
        var testDescription: String { "\(contentType) \(attributes.map { String($0.dropFirst(base.count)) } ?? body)" }
    }

    @Test(arguments: [
        Create(attributes: base + #", icclab.disco.dependencies.inject="{'jupyter': {'password': '\#(secret)'}} x""#),
        Create(attributes: base + #", icclab.disco.dependencies.inject="{'jupyter': '\#(secret)'}""#),
        Create(attributes: base + #", icclab.disco.components.jupyter.password="\#(secret)"#),
        Create(attributes: base + #", icclab.disco.components.jupyter.password="\#(secret)" trailing"#),
        Create(contentType: "text/plain", body: "Category: " + OCCIAPITests.category.1 + "\nX-OCCI-Attribute: "
               + #"icclab.disco.components.jupyter.password="\#(secret)"#),
        Create(contentType: "application/occi+json",
               body: #"{"kind": "http://schemas.cloudcomplab.ch/occi/sm#disco", "attributes": {"password": "\#(secret)"#),
    ])
    func malformedAttributesAreNotEchoed(create: Create) async throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "disco-sm", level: .debug) { line in lines.withLock { $0.append(line) } }
        let t = try await TestApp.make(logger: logger)
        defer { Task { await t.stop() } }
        let token = try await t.token()
        var headers = [("Content-Type", create.contentType), ("X-Auth-Token", token)]
        if let attributes = create.attributes { headers += [OCCIAPITests.category, ("X-OCCI-Attribute", attributes)] }
        let response = await t.request("POST", "/disco/", headers: headers, body: create.body)
        #expect(response.status == 400, "\(response.text)")
        #expect(!response.text.contains(Self.secret), "\(response.text)")
        #expect(!(response.headers["X-OCCI-Error"] ?? "").contains(Self.secret), "\(response.headers["X-OCCI-Error"] ?? "")")
        #expect(response.text.contains("offset") || response.text.contains("character"), "no position: \(response.text)")
        let logged = lines.withLock { $0 }
        #expect(logged.contains { $0.contains("status=400") })
        #expect(!logged.contains { $0.contains(Self.secret) }, "\(logged)")
    }
}
