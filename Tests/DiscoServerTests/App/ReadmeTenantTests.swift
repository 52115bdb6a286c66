import Foundation
import Testing
@testable import DiscoServer

/// The seed README's curl commands send `X-Tenant-Name: $OS_TENANT_NAME`, which a Keystone v3 openrc leaves empty.
@Suite struct ReadmeTenantTests {
    @Test func theReadmeSaysWhatAV3OpenrcSets() throws {
        let text = try String(contentsOf: ReadmeConfigurationTests.readme, encoding: .utf8)
        let section = try #require(text.range(of: "## The original README, as it was"))
        let end = text.range(of: "\n## ", range: section.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        let seed = text[section.upperBound..<end]
        #expect(seed.contains("X-Tenant-Name: $OS_TENANT_NAME"))
        #expect(seed.contains("OS_PROJECT_NAME"))
        #expect(seed.contains("export OS_TENANT_NAME=$OS_PROJECT_NAME"))
    }

    /// As curl sends them: no header when the variable is empty, or the project's name when set from OS_PROJECT_NAME.
    @Test(arguments: [[], [("X-Tenant-Name", "demo")]])
    func theSeedListWorksWithEitherTenantHeader(tenant: [(String, String)]) async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let response = await t.request("GET", "/-/", headers: [("Accept", "text/occi"), ("X-Auth-Token", token)] + tenant)
        #expect(response.status == 200, "\(response.text)")
    }
}
