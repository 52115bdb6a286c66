/// The simulated Heat's stacks by id, with what the hot paths look up kept beside them, so a request costs the same
/// with 10,000 stacks as with ten: the stacks with steps still due (advanced before every request) and the stack
/// holding each floating IP (the address a cluster's status service answers on).
struct SimStackTable: Sendable {
    private(set) var byID: [String: SimStack] = [:]
    /// Ids of the stacks whose ``SimStack/steps`` are not empty.
    private(set) var pending: Set<String> = []
    private var byFloatingIP: [String: String] = [:]

    subscript(id: String) -> SimStack? {
        get { byID[id] }
        set {
            for address in byID[id]?.floatingIPs ?? [] where byFloatingIP[address] == id { byFloatingIP[address] = nil }
            byID[id] = newValue
            guard let stack = newValue else { pending.remove(id); return }
            if stack.steps.isEmpty { pending.remove(id) } else { pending.insert(id) }
            for address in stack.floatingIPs { byFloatingIP[address] = id }
        }
    }

    var values: Dictionary<String, SimStack>.Values { byID.values }
    var count: Int { byID.count }

    /// The stack whose floating IP is `address`.
    func stack(withFloatingIP address: String) -> SimStack? {
        byFloatingIP[address].flatMap { byID[$0] }
    }
}

extension SimStack {
    /// The addresses of the stack's floating IPs.
    var floatingIPs: [String] {
        resources.values.compactMap { $0.type == "OS::Neutron::FloatingIP" ? $0.attributes["floating_ip_address"]?.stringValue : nil }
    }
}
