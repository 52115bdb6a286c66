/// One node's memory as planned: what the OS keeps and each process's share. The parts never add up to more than
/// the node's RAM; the install scripts size every process from them.
public struct NodeMemoryBudget: Sendable, Hashable, Codable {
    /// A process's part of the node's memory.
    public struct Share: Sendable, Hashable, Codable {
        public var component: String
        public var process: String
        /// What the node sets aside for the process, overhead included.
        public var megabytes: Int
        /// Whether the process takes a part of what fixed processes leave (YARN containers, TaskManagers, slots).
        public var isElastic: Bool

        public init(component: String, process: String, megabytes: Int, isElastic: Bool) {
            self.component = component
            self.process = process
            self.megabytes = megabytes
            self.isElastic = isElastic
        }
    }

    /// `master`, or `worker` for each of the workers (they share a flavor).
    public var node: String
    public var flavor: String
    public var ramMB: Int
    /// Kept for the operating system, its page cache and small daemons (SSH, the status page).
    public var osReservedMB: Int
    public var shares: [Share]
    /// What no share claims.
    public var unassignedMB: Int

    public init(node: String, flavor: String, ramMB: Int, osReservedMB: Int, shares: [Share]) {
        self.node = node
        self.flavor = flavor
        self.ramMB = ramMB
        self.osReservedMB = osReservedMB
        self.shares = shares
        unassignedMB = ramMB - osReservedMB - shares.reduce(0) { $0 + $1.megabytes }
    }
}
