import Foundation
@testable import DiscoCore

extension ClusterRecord {
    /// A record with every optional set and awkward text everywhere.
    static func sample(_ n: Int) -> ClusterRecord {
        let spec = ClusterSpec(name: "c-\(n)", master: NodeSpec(image: "ubuntu \"22.04\"", flavor: "m1.large"),
                               worker: NodeSpec(image: "debian/12", flavor: "m1.medium"), workers: n % 7, network: "net-\(n)",
                               externalNetwork: "public", components: ["spark": ["driver_memory": "2g"], "jupyter": [:]],
                               ttlSeconds: 3_600 + n, tags: ["team=α", "line\nbreak", "tab\tand\\slash"])
        var record = ClusterRecord(
            id: "id-\(n)", projectID: "p-\(n % 3)", projectName: "démo", userID: "u1", spec: spec,
            components: [ResolvedComponent(name: "base", version: "1.0.0", reason: .implicit),
                         ResolvedComponent(name: "hadoop", version: "3.4.3", reason: .requiredBy(["spark", "jupyter"]),
                                           properties: ["replication": "auto"]),
                         ResolvedComponent(name: "spark", version: "3.5.8", reason: .requested)],
            uiLinks: [PlannedUILink(component: "spark", name: "Spark → history 😀", port: 18_080, path: "/", scheme: "http",
                                    isPublic: n % 2 == 0, outputKey: "ui_spark_0")],
            totals: ResourceTotals(instances: 3, vcpus: 8, ramMB: 16_384, diskGB: 160, floatingIPs: 1, networks: 1, routers: 1,
                                   securityGroups: 1),
            stackName: "disco-c-\(n)", createdAt: Date(timeIntervalSince1970: 1_767_225_600 + Double(n)))
        record.stackID = "stack-\(n)"
        record.move(to: .provisioning, reason: "creating the stack \u{1}", at: record.createdAt.addingTimeInterval(1))
        record.stackStatus = "CREATE_IN_PROGRESS"
        record.stackStatusReason = "Stack CREATE started"
        record.outputs = ["master_ip": "203.0.113.\(n % 250)", "ui_spark_0": "http://203.0.113.1:18080/"]
        record.progress["spark"] = ComponentProgress(state: .installing, detail: "downloading…",
                                                     updatedAt: record.createdAt.addingTimeInterval(2))
        record.desiredWorkers = n % 5
        record.eventMarker = "event-\(n)"
        record.deleteAttempts = n % 4
        record.isDeleteRequested = n % 3 == 0
        record.pendingAction = "UPDATE"
        record.pendingActionStarted = true
        record.mark(.validated, at: record.createdAt)
        record.mark(.componentSignalled, component: "spark \"x\"", at: record.createdAt.addingTimeInterval(Double(n) / 7))
        return record
    }
}
