import Foundation
import Testing
@testable import DiscoServer

@Suite struct ServerConfigurationTests {
    func parse(_ text: String) throws(ConfigurationError) -> ServerConfiguration {
        try ServerConfiguration.parse(try INIFile(path: "sm.cfg", text: text))
    }

    func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func theOriginalFileStillWorksAndDefaultsToTheSimulatedCloudWithoutDesignURI() throws {
        let original = try parse("""
            [general]
            log_file = sm.log
            port = 8051
            [service_manager]
            manifest = etc/service_manifest.json
            design_uri = http://keystone.example:35357/v2.0
            [service_manager_admin]
            register_service = False
            [cloud_controller]
            wait_time = 2000
            """)
        #expect(original.port == 8051)
        #expect(original.cloud == .openstack)
        #expect(original.designURI == "http://keystone.example:35357/v2.0")
        #expect(original.unrestrictedCredentials == false)
        let bare = try parse("")
        #expect(bare.cloud == .simulated)
        #expect(bare.port == 8888 && bare.host == "127.0.0.1")
    }

    @Test(arguments: ["true", "yes", "On", "1"])
    func unrestrictedCredentialsCanBeTurnedOn(value: String) throws {
        #expect(try parse("[disco]\nunrestricted_credentials = \(value)\n").unrestrictedCredentials)
    }

    @Test(arguments: [
        ("[disco]\nunrestricted_credentials = maybe\n",
         "sm.cfg:2: [disco] unrestricted_credentials: 'maybe' is not a yes/no value; use true or false"),
        ("[disco]\npoll_intervall = 2\n", "sm.cfg:2: [disco] poll_intervall: unknown key (did you mean 'poll_interval'?)"),
        ("[service_manager]\nport = 70000\n", "sm.cfg:2: [service_manager] port: '70000' is not a whole number in 0…65535"),
        ("[disco]\ncloud = aws\n", "sm.cfg:2: [disco] cloud: 'aws' is not a cloud kind; use simulated or openstack"),
        ("[disco]\ncloud = openstack\n", "sm.cfg:2: [service_manager] design_uri: is required with cloud = openstack"),
        ("[disco]\norphans = burn\n", "sm.cfg:2: [disco] orphans: 'burn' is not a policy; use report or delete"),
        ("[nope]\nx = 1\n", "sm.cfg:2: [nope]: unknown section; use one of:"),
    ])
    func mistakesNameTheFileLineAndKey(text: String, expected: String) {
        let message = error(text)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "accepted")")
    }
}
