import Foundation
import Testing
@testable import DiscoCore

/// A scale counts the signals the wait condition holds (its data: one member per signal id) to raise what it waits for.
@Suite struct InstallSignalCountTests {
    @Test(arguments: [
        (#"{"base": "base ready", "hadoop": "hadoop ready"}"#, 2),
        (#"{"worker@1": "worker 0 installed", "spark": "{\"nested\": [1, 2]}", "base": null}"#, 3),
        ("{}", 0),
        (" { } ", 0),
        (#"["base"]"#, 0),
        (#"{"base": "ready"} trailing"#, 0),
        ("", 0),
    ])
    func membersOfTheWaitConditionsData(_ text: String, _ count: Int) {
        #expect(ClusterService.memberCount(ofJSONObject: text) == count)
    }
}

/// The health check's node addresses come from the stack's outputs (the public health document names none).
@Suite struct NodeAddressesFromOutputsTests {
    @Test func theMasterAndEachWorkerByIndex() {
        var record = ClusterRecord(id: "c1", projectID: "p1", projectName: "demo", userID: "u1", spec: .make(workers: 3),
                                   components: [], uiLinks: [],
                                   totals: ResourceTotals(instances: 1, vcpus: 1, ramMB: 1, diskGB: 1, floatingIPs: 1,
                                                          networks: 1, routers: 1, securityGroups: 1),
                                   stackName: "disco-c1", createdAt: Date(timeIntervalSince1970: 0))
        record.outputs = ["master_address": "10.0.0.4", "worker_addresses": #"["10.0.0.5", null, "10.0.0.7"]"#]
        #expect(ClusterService.nodeAddresses(of: record) == ["master": "10.0.0.4", "worker0": "10.0.0.5", "worker2": "10.0.0.7"])
        record.outputs = ["worker_addresses": "not json"]
        #expect(ClusterService.nodeAddresses(of: record).isEmpty)
    }
}

/// When the outputs are read before ready: once the master's floating IP exists (the workers' addresses left for
/// later), and once every server does.
@Suite struct EarlyReadTests {
    static func event(_ resource: String, _ status: String) -> StackEvent {
        StackEvent(id: UUID().uuidString, resourceName: resource, resourceStatus: status, resourceStatusReason: "",
                   eventTime: Date(timeIntervalSince1970: 0))
    }

    @Test func theMastersFloatingIPThenTheWorkersGroup() {
        let address = Self.event("master_floating_ip", "CREATE_COMPLETE"), workers = Self.event("workers", "CREATE_COMPLETE")
        #expect(ClusterService.earlyRead(after: [], workers: 2) == nil)
        #expect(ClusterService.earlyRead(after: [Self.event("master_floating_ip", "CREATE_IN_PROGRESS")], workers: 2) == nil)
        // The master server itself says nothing the floating IP did not: no read of its own.
        #expect(ClusterService.earlyRead(after: [Self.event("master", "CREATE_COMPLETE")], workers: 2) == nil)
        #expect(ClusterService.earlyRead(after: [Self.event("network", "CREATE_COMPLETE"), address], workers: 2) == .masterAddress)
        #expect(ClusterService.earlyRead(after: [workers], workers: 2) == .allServers)
        #expect(ClusterService.earlyRead(after: [address, workers], workers: 2) == .allServers)
        #expect(ClusterService.earlyRead(after: [Self.event("workers", "CREATE_FAILED")], workers: 2) == nil)
    }

    @Test func withoutWorkersTheMasterIsEveryServer() {
        #expect(ClusterService.earlyRead(after: [Self.event("master", "CREATE_COMPLETE")], workers: 0) == .allServers)
        #expect(ClusterService.earlyRead(after: [Self.event("master_floating_ip", "CREATE_COMPLETE")], workers: 0) == .masterAddress)
    }
}
