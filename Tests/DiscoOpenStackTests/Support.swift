import DiscoCore
@testable import DiscoOpenStack
import Foundation
import Testing

/// The cluster template of the brief (DiscoCore generates ones like it).
let clusterTemplate = #"""
{"heat_template_version":"2018-08-31",
 "parameters":{"worker_count":{"type":"number","default":3},"image":{"type":"string","default":"ubuntu-22.04"},"flavor":{"type":"string","default":"m1.large"},"external_network":{"type":"string","default":"public"}},
 "resources":{
  "keypair":{"type":"OS::Nova::KeyPair","properties":{"name":{"list_join":["-",[{"get_param":"OS::stack_name"},"key"]]},"public_key":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG disco"}},
  "secgroup":{"type":"OS::Neutron::SecurityGroup","properties":{"rules":[{"protocol":"tcp","port_range_min":22,"port_range_max":22}]}},
  "network":{"type":"OS::Neutron::Net","properties":{"name":"demo-net"}},
  "subnet":{"type":"OS::Neutron::Subnet","properties":{"network":{"get_resource":"network"},"cidr":"10.20.0.0/24"}},
  "router":{"type":"OS::Neutron::Router","properties":{"external_gateway_info":{"network":{"get_param":"external_network"}}}},
  "router_interface":{"type":"OS::Neutron::RouterInterface","properties":{"router":{"get_resource":"router"},"subnet":{"get_resource":"subnet"}}},
  "install_handle":{"type":"OS::Heat::WaitConditionHandle"},
  "install_wait":{"type":"OS::Heat::WaitCondition","metadata":{"disco":{"components":["base","hadoop","spark"]}},"properties":{"handle":{"get_resource":"install_handle"},"count":3,"timeout":3600},"depends_on":["master"]},
  "master_port":{"type":"OS::Neutron::Port","properties":{"network":{"get_resource":"network"},"fixed_ips":[{"subnet":{"get_resource":"subnet"}}],"security_groups":[{"get_resource":"secgroup"}]}},
  "master":{"type":"OS::Nova::Server","properties":{"name":"demo-master","image":{"get_param":"image"},"flavor":{"get_param":"flavor"},"key_name":{"get_resource":"keypair"},"networks":[{"port":{"get_resource":"master_port"}}],"user_data_format":"RAW","user_data":{"str_replace":{"template":"#!/bin/bash\nwc_notify --data-binary '{\"status\": \"SUCCESS\"}'","params":{"wc_notify":{"get_attr":["install_handle","curl_cli"]}}}}}},
  "master_floating_ip":{"type":"OS::Neutron::FloatingIP","properties":{"floating_network":{"get_param":"external_network"},"port_id":{"get_resource":"master_port"}},"depends_on":["router_interface"]},
  "workers":{"type":"OS::Heat::ResourceGroup","properties":{"count":{"get_param":"worker_count"},"resource_def":{"type":"OS::Nova::Server","properties":{"name":"demo-worker-%index%","image":{"get_param":"image"},"flavor":{"get_param":"flavor"},"key_name":{"get_resource":"keypair"},"networks":[{"network":{"get_resource":"network"}}]}}}}},
 "outputs":{"external_ip":{"value":{"get_attr":["master_floating_ip","floating_ip_address"]}},"master_address":{"value":{"get_attr":["master","first_address"]}},"worker_addresses":{"value":{"get_attr":["workers","first_address"]}},"ssh_key_name":{"value":{"get_resource":"keypair"}},"install_result":{"value":{"get_attr":["install_wait","data"]}}}}
"""#

/// A simulated cloud on a manual clock, with a provider whose retries never wait.
struct SimHarness {
    let clock = ManualClock()
    let sim: SimulatedCloud
    let provider: OpenStackCloudProvider

    init(timing: SimulatedCloud.Timing = .instant, quota: SimulatedCloud.Quota = .init(), tokenLifetime: Double = 3600) {
        sim = SimulatedCloud(configuration: .init(quota: quota, tokenLifetime: tokenLifetime, timing: timing), clock: clock)
        provider = OpenStackCloudProvider.simulated(sim, retry: RetryPolicy(maxAttempts: 4, baseDelay: 0))
    }

    /// A session as DISCO uses it for a cluster: a delegated application credential.
    func delegatedCloud() async throws -> (any Cloud, DelegatedCredential) {
        let issued = try await provider.issueToken(.password(user: "demo", password: "demo", project: "demo", domain: "Default"))
        let credential = try await provider.delegate(token: issued.token, principal: issued.principal, name: "disco-test-\(UUID().uuidString.prefix(8))")
        return (provider.cloud(credential: credential), credential)
    }

    func request(name: String = "disco-c1", workers: Int = 3, tags: [String] = ["disco"]) -> StackRequest {
        StackRequest(name: name, templateJSON: clusterTemplate, parameters: ["worker_count": String(workers)], tags: tags,
                     timeoutMinutes: 60)
    }
}

/// A clock whose sleeps return at once and are recorded.
final class RecordingClock: DiscoClock, @unchecked Sendable {
    private let lock = NSLock()
    private var sleeps: [Double] = []
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    func now() -> Date { lock.withLock { current } }
    func sleep(seconds: Double) async throws {
        lock.withLock {
            sleeps.append(seconds)
            current = current.addingTimeInterval(seconds)
        }
    }
    var recorded: [Double] { lock.withLock { sleeps } }
}

/// A fixture-backed session with the password of the hand-written fixtures.
func fixtureSession(_ names: String..., clock: any DiscoClock = RecordingClock(), retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.5))
    throws -> (OpenStackSession, FixtureTransport) {
    let transport = try FixtureTransport(exchanges: names.flatMap { try FixtureTransport($0).remaining })
    let configuration = OpenStackClientConfiguration(region: "RegionOne", retry: retry, clock: clock)
    let keystone = KeystoneClient(authURL: FixtureTransport.authURL, transport: transport, configuration: configuration)
    let tokens = TokenManager(keystone: keystone, method: .password(user: .name("demo"), password: "demo-secret", project: .name("demo")),
                              clock: clock)
    return (OpenStackSession(tokens: tokens, transport: transport, configuration: configuration), transport)
}

func cloudError(_ body: () async throws -> Void) async -> CloudError? {
    do { try await body() } catch let error as CloudError { return error } catch {
        Issue.record("expected a CloudError, got \(error)")
        return nil
    }
    return nil
}
