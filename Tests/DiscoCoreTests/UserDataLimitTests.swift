import Foundation
import Testing
@testable import DiscoCore

/// Nova refuses a server whose base64-encoded user data is over 65,535 bytes; the planner refuses such a plan
/// first, naming the node, the size and the limit.
@Suite struct UserDataLimitTests {
    /// A jupyter cluster whose `version_spec` (a value every node's script carries) makes the scripts `bytes` long.
    static func spec(scriptBytes bytes: Int) throws -> ClusterSpec {
        let planner = Planner(catalog: try .builtIn())
        let base = try planner.plan(.make(components: ["jupyter": ["password": "longenough"]]), inventory: .standard,
                                    context: .fixed)
        let defaultSpec = ">=4.2,<5"
        let padding = bytes - base.masterScript.utf8.count + defaultSpec.count - 3
        return .make(components: ["jupyter": ["password": "longenough", "version_spec": ">=4" + String(repeating: "0", count: padding)]])
    }

    @Test func limitIsNovasBase64LimitLessHeatsSubstitutions() {
        #expect(UserDataLimit.encodedSize(of: 49_149) == 65_532)
        #expect(UserDataLimit.encodedSize(of: 49_150) == 65_536)
        #expect(UserDataLimit.maxScriptBytes == 49_149 - UserDataLimit.substitutionAllowance)
    }

    /// A script of 48,600 bytes fitted the old limit of 48 KiB of script, yet with Heat's signal credentials its
    /// base64 is over Nova's 65,535 bytes.
    @Test func userDataOverNovasLimitIsRefusedNamingNodeAndSize() throws {
        let planner = Planner(catalog: try .builtIn())
        let spec = try Self.spec(scriptBytes: 48_600)
        let error = #expect(throws: SpecValidationError.self) { try planner.plan(spec, inventory: .standard, context: .fixed) }
        let problems = error?.problems ?? []
        // The worker's script (no JupyterLab fragment) stays under the limit.
        #expect(problems.map(\.path) == ["components"])
        let master = try #require(problems.first).description
        #expect(master.contains("the master's user_data 66,848 bytes base64-encoded (a 48,600-byte install script plus up to 1,536 bytes Heat fills in), over Nova's limit of 65,535 bytes"), "\(master)")
        #expect(master.contains("the master's script may have at most 47,613 bytes"), "\(master)")
    }

    @Test func aScriptAtTheLimitIsPlanned() throws {
        let planner = Planner(catalog: try .builtIn())
        let plan = try planner.plan(try Self.spec(scriptBytes: UserDataLimit.maxScriptBytes), inventory: .standard, context: .fixed)
        #expect(plan.masterScript.utf8.count == UserDataLimit.maxScriptBytes)
    }
}
