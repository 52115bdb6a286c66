import DiscoServer
import Testing
@testable import disco_sm

/// The start banner says how to get a token on either cloud, as the README promises.
@Suite struct BannerTests {
    @Test func openStackModeGivesATokenHint() {
        var config = ServerConfiguration(stateDirectory: "/var/lib/disco")
        config.cloud = .openstack
        let (text, base) = ServerMain.banner(config, port: 8888, cloud: "openstack")
        #expect(base == "http://127.0.0.1:8888")
        #expect(text.contains("token:"), "\(text)")
        #expect(text.contains("TOKEN=$(disco-cli --url http://127.0.0.1:8888 token)"), "\(text)")
        #expect(text.contains("openstack token issue -f value -c id"), "\(text)")
        #expect(!text.contains("password demo"), "\(text)")
    }

    @Test func simulatedModeNamesTheDemoUser() {
        let (text, _) = ServerMain.banner(ServerConfiguration(stateDirectory: "./state"), port: 8888, cloud: "simulated")
        #expect(text.contains("TOKEN=$(disco-cli --url http://127.0.0.1:8888 token)   (simulated cloud: user demo, password demo, project demo)"))
        #expect(!text.contains("openstack token issue"))
    }
}
