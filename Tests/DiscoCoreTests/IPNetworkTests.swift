import Testing
@testable import DiscoCore

@Suite struct IPNetworkTests {
    @Test(arguments: [
        ("203.0.113.0/24", false, 24), ("0.0.0.0/0", false, 0), ("198.51.100.7", false, 32),
        ("2001:db8::/32", true, 32), ("::/0", true, 0), ("::1", true, 128), ("::ffff:192.0.2.1", true, 128),
        ("fe80:0:0:0:0:0:0:0/10", true, 10),
    ])
    func networksAreRead(text: String, isIPv6: Bool, prefix: Int) throws {
        let network = try IPNetwork.parse(text).get()
        #expect(network.isIPv6 == isIPv6 && network.prefixLength == prefix && network.description == text)
    }

    @Test(arguments: [
        ("10.0.0.1/24", "has bits set after its prefix (the network is 10.0.0.0/24)"),
        ("2001:db8::1/32", "has bits set after its prefix"),
        ("300.1.1.1/8", "is not an IPv4 or IPv6 address"), ("1.2.3/24", "is not an IPv4 or IPv6 address"),
        ("01.2.3.4", "is not an IPv4 or IPv6 address"), ("1::2::3", "is not an IPv4 or IPv6 address"),
        ("1:2:3:4:5:6:7:8:9", "is not an IPv4 or IPv6 address"), ("office", "is not an IPv4 or IPv6 address"),
        ("10.0.0.0/33", "has a prefix length outside 0…32"), ("2001:db8::/129", "has a prefix length outside 0…128"),
        ("10.0.0.0/", "has a prefix length outside 0…32"), ("10.0.0.0/+8", "has a prefix length outside 0…32"),
    ])
    func mistakesSayWhatIsWrong(text: String, problem: String) {
        guard case let .failure(found) = IPNetwork.parse(text) else { Issue.record("\(text) accepted"); return }
        #expect(found.description == problem)
    }

    @Test func addressBytesAgreeAcrossSpellings() {
        #expect(IPNetwork.addressBytes("::1") == IPNetwork.addressBytes("0:0::1"))
        #expect(IPNetwork.addressBytes("::ffff:192.0.2.1")?.suffix(4) == [192, 0, 2, 1])
        #expect(IPNetwork.addressBytes("127.0.0.1") == [127, 0, 0, 1])
    }

    /// The spec's networks become the security group's outside rules (ping and public ports, each from each network;
    /// IPv6 with its ether type); the operator's default applies when the spec names none.
    @Test func allowedSourcesBecomeTheOutsideRules() throws {
        let planner = Planner(catalog: try .builtIn(), options: PlanOptions(allowedSources: ["192.0.2.0/24"]))
        func outsideRules(_ spec: ClusterSpec) throws -> [[String: String]] {
            let plan = try planner.plan(spec, inventory: .standard, context: .fixed)
            let rules = try #require(plan.template.resource("security_group")?.properties.first { $0.0 == "rules" }?.1)
            guard case let .list(items) = rules else { return [] }
            return items.compactMap { rule -> [String: String]? in
                guard case let .string(prefix)? = rule["remote_ip_prefix"], case let .string(proto)? = rule["protocol"] else { return nil }
                var fields = ["from": prefix, "protocol": proto]
                if case let .int(port)? = rule["port_range_min"] { fields["port"] = String(port) }
                if case let .string(ether)? = rule["ethertype"] { fields["ethertype"] = ether }
                return fields
            }
        }
        let defaults = try outsideRules(.make(workers: 1))
        #expect(defaults == [["from": "192.0.2.0/24", "protocol": "icmp"],
                         ["from": "192.0.2.0/24", "protocol": "tcp", "port": "22"],
                         ["from": "192.0.2.0/24", "protocol": "tcp", "port": "8084"]], "\(defaults)")
        var spec = ClusterSpec.make(workers: 1)
        spec.allowedSources = ["203.0.113.0/24", "2001:db8::/32"]
        #expect(try outsideRules(spec) == [
            ["from": "203.0.113.0/24", "protocol": "icmp"], ["from": "2001:db8::/32", "protocol": "ipv6-icmp", "ethertype": "IPv6"],
            ["from": "203.0.113.0/24", "protocol": "tcp", "port": "22"], ["from": "2001:db8::/32", "protocol": "tcp", "port": "22", "ethertype": "IPv6"],
            ["from": "203.0.113.0/24", "protocol": "tcp", "port": "8084"], ["from": "2001:db8::/32", "protocol": "tcp", "port": "8084", "ethertype": "IPv6"],
        ])
    }

    @Test func badAllowedSourcesAreRefusedWithTheirPaths() {
        var spec = ClusterSpec.make(workers: 1)
        spec.allowedSources = ["203.0.113.0/24", "10.1.2.3/16"]
        #expect(spec.problems().map(\.description) == [
            "allowedSources[1]: 10.1.2.3/16 has bits set after its prefix (the network is 10.1.0.0/16); use an IPv4 or IPv6 network in CIDR notation, e.g. 203.0.113.0/24, 2001:db8::/32 or 0.0.0.0/0",
        ])
        spec.allowedSources = []
        #expect(spec.problems().map(\.path) == ["allowedSources"])
    }
}
