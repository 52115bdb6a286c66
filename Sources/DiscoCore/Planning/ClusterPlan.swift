

/// Everything a user sees before anything is created: components and why, ports, resource totals, the template.
public struct ClusterPlan: Sendable, Hashable {
    public var spec: ClusterSpec
    public var stackName: String
    public var components: [ResolvedComponent]
    public var ports: [PlannedPort]
    public var totals: ResourceTotals
    public var uiLinks: [PlannedUILink]
    /// YARN sizing when Hadoop is installed.
    public var yarn: YarnSizing?
    /// Spark's AM and executor sizes when Spark is installed.
    public var spark: SparkSizing?
    /// Each node's memory: the OS's part and every process's share (the master's, then the workers').
    public var memory: [NodeMemoryBudget]
    public var template: HeatTemplate
    /// Template parameters to send with the create (the template carries them as defaults too).
    public var parameters: [String: String]
    /// How long the install may take before the wait condition fails the stack.
    public var installTimeoutSeconds: Int
    public var masterScript: String
    public var workerScript: String

    /// The part of the plan that is data (no template), for APIs.
    public var summary: PlanSummary {
        PlanSummary(name: spec.name, stackName: stackName, workers: spec.workers, components: components, ports: ports,
                    totals: totals, uiLinks: uiLinks, yarn: yarn, spark: spark, memory: memory,
                    scriptBytes: .init(master: masterScript.utf8.count, worker: workerScript.utf8.count))
    }
}
