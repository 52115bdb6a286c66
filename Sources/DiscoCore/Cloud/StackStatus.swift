import Foundation

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
