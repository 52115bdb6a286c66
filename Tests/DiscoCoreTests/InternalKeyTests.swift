import Foundation
import Testing
@testable import DiscoCore

/// The nodes' internal SSH key is made on the master at its first boot and copied by the workers over the cluster
/// network: no private key reaches a template or its user data, which any project member reads with
/// `openstack stack template show` and any process on a node from the metadata service (issue 22, finding 8).
/// (Packed user data unpacks to the scripts checked here: ``UserDataLimitTests``.)
@Suite struct InternalKeyTests {
    @Test("no private key in the template or its scripts", arguments: GoldenTemplateTests.cases)
    func noPrivateKeyMaterial(_ c: GoldenTemplateTests.Case) throws {
        let plan = try GoldenTemplateTests().plan(c)
        for (what, text) in [("template", plan.template.yaml()), ("master script", plan.masterScript),
                             ("worker script", plan.workerScript)] {
            #expect(!text.contains("PRIVATE KEY"), "\(c.name): private key material in the \(what)")
            #expect(!text.contains("DISCO_INTERNAL_KEY"), "\(c.name): an internal key variable in the \(what)")
        }
    }
}
