import DiscoCore
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

    @Test func specFallbacksAreTheOperatorsOrOnTheSimulatedCloudTheBuiltInOnes() throws {
        #expect(try parse("").specFallbacks == .builtIn)
        #expect(try parse("[disco]\ndefault_image = debian-12\n").specFallbacks
                == SpecFallbacks(image: "debian-12", flavor: SpecDefaults.flavor, externalNetwork: SpecDefaults.externalNetwork))
        let cloud = try parse("[service_manager]\ndesign_uri = http://keystone:5000/v3\n[disco]\ndefault_flavor = m1.large\n")
        #expect(cloud.specFallbacks == SpecFallbacks(flavor: "m1.large"))
    }

    @Test func allowedSourcesAreNetworksEveryoneByDefault() throws {
        #expect(try parse("").allowedSources == ["0.0.0.0/0"])
        #expect(try parse("[disco]\nallowed_sources = 203.0.113.0/24, 2001:db8::/32\n").allowedSources == ["203.0.113.0/24", "2001:db8::/32"])
    }

    @Test func defaultTTLTakesTheCLIsDurations() throws {
        #expect(try parse("[disco]\ndefault_ttl = 8h\n").defaultTTLSeconds == 28_800)
        #expect(try parse("[disco]\ndefault_ttl = 7200\n").defaultTTLSeconds == 7200)
        #expect(try parse("[disco]\ndefault_ttl = 0\n").defaultTTLSeconds == nil)
    }

    @Test func userDataIsAutoUnlessPacked() throws {
        #expect(try parse("").userData == .auto)
        #expect(try parse("[disco]\nuser_data = Packed\n").userData == .packed)
    }

    @Test func perProjectLimitsDefaultOnAndZeroTurnsThemOff() throws {
        let defaults = try parse("")
        #expect(defaults.maxClustersPerProject == 100 && defaults.createsPerMinute == 30)
        let off = try parse("[disco]\nmax_clusters_per_project = 0\ncreates_per_minute = 0\n")
        #expect(off.maxClustersPerProject == nil && off.createsPerMinute == nil)
        let set = try parse("[disco]\nmax_clusters_per_project = 5\ncreates_per_minute = 12\n")
        #expect(set.maxClustersPerProject == 5 && set.createsPerMinute == 12)
    }

    @Test func quotaScaleReachesTenThousandsOfClusters() throws {
        #expect(try parse("").simulationQuotaScale == 1)
        #expect(try parse("[simulation]\nquota_scale = 100000\n").simulationQuotaScale == 100_000)
    }

    @Test func trustedProxiesAreAddressesInAnyIPv6Spelling() throws {
        let proxies = try parse("[service_manager]\ntrusted_proxies = 127.0.0.1, ::1 10.0.0.7\n").trustedProxies
        #expect(proxies.contains("127.0.0.1") && proxies.contains("[0:0::1]") && proxies.contains("10.0.0.7"))
        #expect(!proxies.contains("10.0.0.8") && !proxies.contains("localhost"))
        #expect(try parse("").trustedProxies.isEmpty)
    }

    /// Issue 22, finding 9: the Host allow-list and the token for /healthz and /metrics are operator options.
    @Test func allowedHostsAndTheOperationsTokenAreRead() throws {
        let config = try parse("[service_manager]\nallowed_hosts = Disco.Example.org., 192.0.2.10 [2001:db8::1]\noperations_require_token = yes\n")
        #expect(config.allowedHosts.names == ["disco.example.org", "192.0.2.10", "2001:db8::1"])
        #expect(config.operationsRequireToken)
        let bare = try parse("")
        #expect(bare.allowedHosts == HostAllowList() && !bare.operationsRequireToken)
        #expect(try parse("[service_manager]\nallowed_hosts = *\n").allowedHosts.allowsAny)
    }

    /// Issue 22, finding 9: without XDG_STATE_HOME and HOME there is no default state directory (it was /tmp/disco).
    @Test func theDefaultStateDirectoryComesFromXDGStateHomeOrHomeAndIsNeverTmp() {
        #expect(ServerConfiguration.defaultStateDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/disco")
        #expect(ServerConfiguration.defaultStateDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/disco")
        #expect(ServerConfiguration.defaultStateDirectory(environment: [:]) == "")
        #expect(ServerConfiguration.defaultStateDirectory(environment: ["HOME": "", "XDG_STATE_HOME": ""]) == "")
    }

    @Test(arguments: [
        ("[service_manager]\nallowed_hosts = disco.example.org:8443\n",
         "sm.cfg:2: [service_manager] allowed_hosts: 'disco.example.org:8443' is not a host name or an IP address; list the names"),
        ("[service_manager]\nallowed_hosts = evil/x\n",
         "sm.cfg:2: [service_manager] allowed_hosts: 'evil/x' is not a host name or an IP address"),
        ("[service_manager]\noperations_require_token = sometimes\n",
         "sm.cfg:2: [service_manager] operations_require_token: 'sometimes' is not a yes/no value; use true or false"),
        ("[service_manager]\ntrusted_proxies = 127.0.0.1, 10.0.0.0/8\n",
         "sm.cfg:2: [service_manager] trusted_proxies: '10.0.0.0/8' is not an IP address; list the proxies' addresses"),
        ("[simulation]\nquota_scale = 0\n", "sm.cfg:2: [simulation] quota_scale: '0' is not a whole number in 1…100000"),
        ("[simulation]\nquota_scale = 100001\n", "sm.cfg:2: [simulation] quota_scale: '100001' is not a whole number in 1…100000"),
        ("[disco]\ncreates_per_minute = -1\n", "sm.cfg:2: [disco] creates_per_minute: '-1' is not a whole number in 0…60000"),
        ("[disco]\nunrestricted_credentials = maybe\n",
         "sm.cfg:2: [disco] unrestricted_credentials: 'maybe' is not a yes/no value; use true or false"),
        ("[disco]\npoll_intervall = 2\n", "sm.cfg:2: [disco] poll_intervall: unknown key (did you mean 'poll_interval'?)"),
        ("[service_manager]\nport = 70000\n", "sm.cfg:2: [service_manager] port: '70000' is not a whole number in 0…65535"),
        ("[disco]\ncloud = aws\n", "sm.cfg:2: [disco] cloud: 'aws' is not a cloud kind; use simulated or openstack"),
        ("[disco]\ncloud = openstack\n", "sm.cfg:2: [service_manager] design_uri: is required with cloud = openstack"),
        ("[disco]\nuser_data = zipped\n",
         "sm.cfg:2: [disco] user_data: 'zipped' is not a user-data form; use auto (packed only when over Nova's limit) or packed"),
        ("[disco]\nallowed_sources = 10.0.0.1/8\n",
         "sm.cfg:2: [disco] allowed_sources: '10.0.0.1/8' has bits set after its prefix (the network is 10.0.0.0/8); use networks in CIDR notation"),
        ("[disco]\ndefault_ttl = soon\n", "sm.cfg:2: [disco] default_ttl: 'soon' is not a duration of at most 365 days; use e.g. 0 (none), 7200, 8h or 7d"),
        ("[disco]\norphans = burn\n", "sm.cfg:2: [disco] orphans: 'burn' is not a policy; use report or delete"),
        ("[nope]\nx = 1\n", "sm.cfg:2: [nope]: unknown section; use one of:"),
    ])
    func mistakesNameTheFileLineAndKey(text: String, expected: String) {
        let message = error(text)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "accepted")")
    }
}

/// The `sm.cfg` the README shows an operator, read as the server reads it.
@Suite struct ReadmeConfigurationTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// The first ```ini block of the README's section on a real OpenStack.
    static func readmeConfiguration() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## Running against a real OpenStack"))
        let start = try #require(text.range(of: "```ini\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func theReadmesFileParsesWithItsInlineComments() throws {
        let config = try ServerConfiguration.parse(try INIFile(path: "README.md sm.cfg", text: Self.readmeConfiguration()))
        #expect(config.frameworkDirectory == "/etc/disco/components")
        #expect(config.designURI == "https://keystone.example.org:5000/v3")
        #expect(config.cloud == .openstack)
        #expect(config.logFile == "/var/log/disco/sm.log")
        #expect(config.mirror == "https://archive.apache.org/dist")
    }

    @Test func theReadmesFileListensOnLoopbackAndPointsToTheTLSProxy() throws {
        let config = try ServerConfiguration.parse(try INIFile(path: "README.md sm.cfg", text: Self.readmeConfiguration()))
        #expect(config.host == "127.0.0.1")
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        #expect(text.contains("(#behind-a-tls-reverse-proxy)"))
    }

    @Test(arguments: [
        ("[disco]\nframework_directory = /etc/disco ; mine\n", "/etc/disco"),
        ("[disco]\nframework_directory = /etc/disco\t# mine\n", "/etc/disco"),
        ("[disco]\nframework_directory = /etc/disco;v2#x\n", "/etc/disco;v2#x"),
    ])
    func inlineCommentsNeedASpaceBefore(text: String, expected: String) throws {
        #expect(try ServerConfiguration.parse(try INIFile(path: "sm.cfg", text: text)).frameworkDirectory == expected)
    }

    @Test func aCatalogErrorNamesTheFileAndLine() async throws {
        let config = try ServerConfiguration.parse(try INIFile(path: "sm.cfg", text: "[disco]\nframework_directory = /nonexistent/disco\n"))
        await #expect {
            _ = try await ServiceManager.make(config, logger: Logger(label: "test", level: .critical))
        } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix("sm.cfg:2: [disco] framework_directory: ") == true
        }
    }
}
