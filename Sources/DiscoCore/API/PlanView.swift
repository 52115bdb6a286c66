import Foundation

/// `POST /api/v1/plan`: the plan without its scripts, and the template as text.
public struct PlanView: Codable, Sendable {
    public var plan: PlanSummary
    public var template: String
    /// `yaml` or `json`.
    public var format: String

    public init(plan: PlanSummary, template: String, format: String) {
        self.plan = plan
        self.template = template
        self.format = format
    }
}
