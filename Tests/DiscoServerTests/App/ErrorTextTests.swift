import DiscoCore
import Foundation
import Testing
@testable import DiscoServer

/// A 400's text: one problem is one line, whatever the input held; several are one per line.
@Suite struct ErrorTextTests {
    func create(_ attributes: String) async throws -> HTTPServerResponse {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        return await t.request("POST", "/disco/", headers: OCCIAPITests.createHeaders(token: token, attributes: attributes))
    }

    @Test func oneProblemIsOneLine() async throws {
        let response = try await create(#"icclab.disco.components.heat.slavecount="-1""#)
        #expect(response.status == 400)
        #expect(response.text == "the request is invalid: icclab.disco.components.heat.slavecount: -1 is not allowed; use 0…1000\n")
    }

    @Test func aLineBreakInTheInputDoesNotBreakTheLine() async throws {
        let response = try await create(#"icclab.disco.name="two\nlines""#)
        #expect(response.status == 400)
        #expect(response.text.split(separator: "\n").count == 1, "\(response.text)")
        #expect(response.text.contains(#"two\nlines"#), "\(response.text)")
    }

    @Test func severalProblemsAreOnePerLine() async throws {
        let response = try await create(#"icclab.disco.components.heat.slavecount="-1",icclab.disco.components.heat.masterflavor="m1.tiny""#)
        #expect(response.status == 400)
        let lines = response.text.split(separator: "\n")
        // The flavor is wrong for the master and, taken from it, for the workers.
        #expect(lines.count == 4, "\(response.text)")
        #expect(lines.first == "the request is invalid:")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("icclab.disco.components.heat.") }, "\(response.text)")
    }
}
