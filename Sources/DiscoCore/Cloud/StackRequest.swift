import Foundation

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
