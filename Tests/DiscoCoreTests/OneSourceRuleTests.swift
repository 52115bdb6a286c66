import Testing
@testable import DiscoCore

/// Rules that clients (CLI, dashboard) take from DiscoCore instead of coding them again.
@Suite struct OneSourceRuleTests {
    @Test(arguments: [("ubuntu-22.04", "ubuntu"), ("Debian-12", "debian"), ("rocky-9", "rocky"), ("my-image", nil)])
    func theLoginUserFollowsTheImageName(image: String, user: String?) {
        #expect(NodeSpec(image: image, flavor: "m1.small").loginUser == user)
    }

    @Test func resolvingManifestsIsResolvingTheCatalog() throws {
        let catalog = try ComponentCatalog.builtIn()
        let manifests = catalog.names.map { catalog[$0]!.manifest }
        for requested in [["zeppelin"], ["jupyter", "kafka"], ["spark", "flink"]] {
            #expect(try ComponentResolver.resolve(requested, manifests: manifests) == ComponentResolver.resolve(requested, in: catalog))
        }
    }

    @Test func theCatalogViewListsWhatAComponentNeeds() throws {
        let catalog = try ComponentCatalog.builtIn()
        let zeppelin = ComponentView(catalog["zeppelin"]!.manifest, in: catalog)
        #expect(zeppelin.needs.contains("spark") && zeppelin.needs.contains("hadoop"))
        #expect(!zeppelin.needs.contains("zeppelin") && !zeppelin.needs.contains(where: { catalog[$0]!.manifest.isImplicit }))
    }

    @Test func thePreviewKeepsItsIdAndEveryContextGetsItsOwnSalt() {
        let preview = PlanContext.preview, again = PlanContext.preview
        #expect(preview.clusterID == again.clusterID && preview.keys == again.keys && preview.secretSalt != again.secretSalt)
        let keys = preview.keys
        let first = PlanContext.newCluster(keys: keys), second = PlanContext.newCluster(keys: keys)
        #expect(first.clusterID != second.clusterID && first.secretSalt != second.secretSalt)
        #expect(first.secretSalt.count == 16)
    }
}
