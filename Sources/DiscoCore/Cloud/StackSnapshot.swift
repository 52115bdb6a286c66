public import Foundation

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
