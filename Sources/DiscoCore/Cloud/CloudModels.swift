public import Foundation

/// A compute flavor offered by the cloud.
public struct Flavor: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var vcpus: Int
    /// Memory in MiB.
    public var ramMB: Int
    /// Root disk in GB.
    public var diskGB: Int

    public init(id: String, name: String, vcpus: Int, ramMB: Int, diskGB: Int) {
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.ramMB = ramMB
        self.diskGB = diskGB
    }
}

/// A bootable image.
public struct Image: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var status: String

    public init(id: String, name: String, status: String = "active") {
        self.id = id
        self.name = name
        self.status = status
    }
}

/// A Neutron network visible to the project.
public struct Network: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// `router:external` — usable as a floating IP pool and router gateway.
    public var isExternal: Bool

    public init(id: String, name: String, isExternal: Bool) {
        self.id = id
        self.name = name
        self.isExternal = isExternal
    }
}

/// What a project may still create; `nil` means unlimited or unknown.
public struct QuotaHeadroom: Sendable, Hashable, Codable {
    public var instances: Int?
    public var vcpus: Int?
    public var ramMB: Int?
    public var floatingIPs: Int?

    public init(instances: Int? = nil, vcpus: Int? = nil, ramMB: Int? = nil, floatingIPs: Int? = nil) {
        self.instances = instances
        self.vcpus = vcpus
        self.ramMB = ramMB
        self.floatingIPs = floatingIPs
    }
}

/// The images, flavors and networks a project can use, read once before planning.
public struct CloudInventory: Sendable, Hashable, Codable {
    public var images: [Image]
    public var flavors: [Flavor]
    public var networks: [Network]
    public var quota: QuotaHeadroom

    public init(images: [Image], flavors: [Flavor], networks: [Network], quota: QuotaHeadroom = .init()) {
        self.images = images
        self.flavors = flavors
        self.networks = networks
        self.quota = quota
    }

    /// The flavor whose id or name is `reference`.
    public func flavor(_ reference: String) -> Flavor? {
        flavors.first { $0.id == reference } ?? flavors.first { $0.name == reference }
    }

    /// The image whose id or name is `reference`.
    public func image(_ reference: String) -> Image? {
        images.first { $0.id == reference } ?? images.first { $0.name == reference }
    }

    /// The network whose id or name is `reference`.
    public func network(_ reference: String) -> Network? {
        networks.first { $0.id == reference } ?? networks.first { $0.name == reference }
    }
}

/// A Heat stack status such as `CREATE_IN_PROGRESS`: an open value so unknown statuses round-trip.
public struct StackStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The action part, e.g. `CREATE`.
    public var action: String { rawValue.split(separator: "_", maxSplits: 1).first.map(String.init) ?? "" }
    /// The state part, e.g. `IN_PROGRESS`, `COMPLETE`, `FAILED`.
    public var state: String {
        let parts = rawValue.split(separator: "_", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : ""
    }
    public var isInProgress: Bool { state == "IN_PROGRESS" || rawValue.isEmpty }
    public var isComplete: Bool { state == "COMPLETE" }
    public var isFailed: Bool { state == "FAILED" }
    public var description: String { rawValue }

    public static let createInProgress = StackStatus("CREATE_IN_PROGRESS")
    public static let createComplete = StackStatus("CREATE_COMPLETE")
    public static let createFailed = StackStatus("CREATE_FAILED")
    public static let updateInProgress = StackStatus("UPDATE_IN_PROGRESS")
    public static let updateComplete = StackStatus("UPDATE_COMPLETE")
    public static let updateFailed = StackStatus("UPDATE_FAILED")
    public static let suspendInProgress = StackStatus("SUSPEND_IN_PROGRESS")
    public static let suspendComplete = StackStatus("SUSPEND_COMPLETE")
    public static let suspendFailed = StackStatus("SUSPEND_FAILED")
    public static let resumeInProgress = StackStatus("RESUME_IN_PROGRESS")
    public static let resumeComplete = StackStatus("RESUME_COMPLETE")
    public static let resumeFailed = StackStatus("RESUME_FAILED")
    public static let deleteInProgress = StackStatus("DELETE_IN_PROGRESS")
    public static let deleteComplete = StackStatus("DELETE_COMPLETE")
    public static let deleteFailed = StackStatus("DELETE_FAILED")
    public static let rollbackComplete = StackStatus("ROLLBACK_COMPLETE")
    public static let rollbackFailed = StackStatus("ROLLBACK_FAILED")
    public static let checkComplete = StackStatus("CHECK_COMPLETE")
}

/// Identifies a Heat stack by name and id (`/stacks/{name}/{id}`).
public struct StackReference: Sendable, Hashable, Codable {
    public var name: String
    public var id: String
    public init(name: String, id: String) {
        self.name = name
        self.id = id
    }
}

/// What is asked of Heat to create a stack.
public struct StackRequest: Sendable, Hashable {
    /// Deterministic per cluster, so a repeated create finds the existing stack (409) instead of making a second.
    public var name: String
    /// The HOT template as a JSON object text.
    public var templateJSON: String
    public var parameters: [String: String]
    public var tags: [String]
    public var timeoutMinutes: Int?
    /// Heat's `disable_rollback`; `true` keeps failed resources for inspection.
    public var disableRollback: Bool

    public init(name: String, templateJSON: String, parameters: [String: String] = [:], tags: [String] = [],
                timeoutMinutes: Int? = nil, disableRollback: Bool = true) {
        self.name = name
        self.templateJSON = templateJSON
        self.parameters = parameters
        self.tags = tags
        self.timeoutMinutes = timeoutMinutes
        self.disableRollback = disableRollback
    }
}

/// A stack as read from Heat.
public struct StackSnapshot: Sendable, Hashable, Codable {
    public var reference: StackReference
    public var status: StackStatus
    public var statusReason: String
    /// Output values by key; values that are not strings are given as JSON text.
    public var outputs: [String: String]
    /// Parameter values by name (a stack read shows them; a listing does not).
    public var parameters: [String: String]
    public var tags: [String]
    public var creationTime: Date?
    public var updatedTime: Date?

    public init(reference: StackReference, status: StackStatus, statusReason: String = "", outputs: [String: String] = [:],
                parameters: [String: String] = [:], tags: [String] = [], creationTime: Date? = nil, updatedTime: Date? = nil) {
        self.reference = reference
        self.status = status
        self.statusReason = statusReason
        self.outputs = outputs
        self.parameters = parameters
        self.tags = tags
        self.creationTime = creationTime
        self.updatedTime = updatedTime
    }
}

/// One Heat event (`GET /stacks/{name}/{id}/events`).
public struct StackEvent: Sendable, Hashable, Codable {
    public var id: String
    public var resourceName: String
    /// e.g. `CREATE_COMPLETE`, or `SIGNAL_COMPLETE` for a wait condition handle signal.
    public var resourceStatus: String
    public var resourceStatusReason: String
    public var eventTime: Date

    public init(id: String, resourceName: String, resourceStatus: String, resourceStatusReason: String, eventTime: Date) {
        self.id = id
        self.resourceName = resourceName
        self.resourceStatus = resourceStatus
        self.resourceStatusReason = resourceStatusReason
        self.eventTime = eventTime
    }
}

/// Stack actions (`POST /stacks/{name}/{id}/actions`).
public enum StackAction: String, Sendable, Hashable, Codable {
    case suspend, resume, check
}
