/// Builds the cluster's Heat template.
///
/// Resources: the user's key pair (public key only), a security group opening exactly the public ports plus
/// all traffic between members, network, subnet, router and interface, the master's port, server and floating
/// IP, the workers as an `OS::Heat::ResourceGroup` (scaling is a stack update of `worker_count`), and a wait
/// condition the install scripts signal: the master once per component, each worker once when it is installed. Its
/// count is the parameter `install_signals`, so that a scale that adds workers waits for theirs (Heat restarts the
/// wait with the new count; the signals already in stay counted).
struct TemplateComposer: Sendable {
    var options: PlanOptions

    struct Input {
        var spec: ClusterSpec
        var stackName: String
        var components: [String]
        var ports: [PlannedPort]
        var uiLinks: [PlannedUILink]
        var userPublicKey: String
        /// ``NodeUserData`` of each role's script.
        var masterUserData: String
        var workerUserData: String
        var installTimeoutSeconds: Int
    }

    /// The template parameter counting the install signals.
    static let installSignalsParameter = "install_signals"
    /// Where each worker's install signal comes from: the id of its signal starts with this.
    static let workerSignalPrefix = "worker@"

    /// Parameter values sent with a create.
    static func parameterValues(_ spec: ClusterSpec, components: Int) -> [String: String] {
        [
            "worker_count": String(spec.workers),
            installSignalsParameter: String(components + spec.workers),
            "master_image": spec.master.image, "master_flavor": spec.master.flavor,
            "worker_image": spec.worker.image, "worker_flavor": spec.worker.flavor,
            "external_network": spec.externalNetwork,
        ]
    }

    func compose(_ input: Input) -> HeatTemplate {
        let spec = input.spec
        let prefix = spec.name.lowercased()
        let parameters: [(String, HeatTemplate.Parameter)] = [
            ("worker_count", .init(type: "number", label: "Workers", description: "Number of worker nodes",
                                   defaultValue: .int(spec.workers),
                                   constraints: [["range": ["min": 0, "max": .int(options.limits.maxWorkers)]]])),
            (Self.installSignalsParameter, .init(
                type: "number", label: "Install signals",
                description: "Signals the install waits for: one per component (from the master) and one per worker; "
                    + "a scale that adds workers raises it by their number",
                defaultValue: .int(input.components.count + spec.workers), constraints: [["range": ["min": 1]]])),
            ("master_image", .init(type: "string", label: "Master image", description: "Image of the master node",
                                   defaultValue: .string(spec.master.image), constraints: [["custom_constraint": "glance.image"]])),
            ("master_flavor", .init(type: "string", label: "Master flavor", description: "Flavor of the master node",
                                    defaultValue: .string(spec.master.flavor), constraints: [["custom_constraint": "nova.flavor"]])),
            ("worker_image", .init(type: "string", label: "Worker image", description: "Image of the worker nodes",
                                   defaultValue: .string(spec.worker.image), constraints: [["custom_constraint": "glance.image"]])),
            ("worker_flavor", .init(type: "string", label: "Worker flavor", description: "Flavor of the worker nodes",
                                    defaultValue: .string(spec.worker.flavor), constraints: [["custom_constraint": "nova.flavor"]])),
            ("external_network", .init(type: "string", label: "External network",
                                       description: "Floating IP pool and router gateway",
                                       defaultValue: .string(spec.externalNetwork),
                                       constraints: [["custom_constraint": "neutron.network"]])),
        ]

        // From outside: ping and the public ports, from each allowed network.
        let sources = (spec.allowedSources ?? options.allowedSources).compactMap { try? IPNetwork.parse($0).get() }
        func rule(_ fields: [(String, HOTValue)], from source: IPNetwork) -> HOTValue {
            .object(fields + [("remote_ip_prefix", .string(source.description))] + (source.isIPv6 ? [("ethertype", "IPv6")] : []))
        }
        var rules = sources.map { rule([("protocol", $0.isIPv6 ? "ipv6-icmp" : "icmp")], from: $0) }
        for port in input.ports where port.exposure == .public {
            rules += sources.map {
                rule([("protocol", .string(port.protocol)), ("port_range_min", .int(port.port)), ("port_range_max", .int(port.port))], from: $0)
            }
        }
        for proto in ["tcp", "udp"] {
            rules.append(["protocol": .string(proto), "port_range_min": 1, "port_range_max": 65535,
                          "remote_mode": "remote_group_id"])
        }
        rules.append(["protocol": "icmp", "remote_mode": "remote_group_id"])

        // The master's cluster address, from its port (a Neutron read; the server's `first_address` is a Nova one).
        let masterAddress = HOTValue.getAttr("master_port", "fixed_ips", 0, "ip_address")
        let scriptParams: [(String, HOTValue)] = [
            (ScriptComposer.signalToken, .getAttr("install_handle", "signal")),
            (ScriptComposer.masterIPToken, masterAddress),
        ]
        var subnet: [(String, HOTValue)] = [
            ("network", .getResource("network")), ("cidr", .string(options.clusterCIDR)), ("ip_version", 4),
        ]
        if !options.dnsNameservers.isEmpty {
            subnet.append(("dns_nameservers", .list(options.dnsNameservers.map(HOTValue.string))))
        }

        // Heat's convergence engine starts a stack's resources that depend on nothing one second apart
        // (`Stack.converge_stack`: `eventlet.sleep(1)` per leaf) and the rest as soon as what they need exists. Five
        // such resources put the master 4 s behind; so the network is the only one, and everything else follows it.
        let afterNetwork = ["network"]
        let resources: [(String, HeatTemplate.Resource)] = [
            ("network", .init(type: "OS::Neutron::Net", properties: [("name", .string(spec.networkName))])),
            ("keypair", .init(type: "OS::Nova::KeyPair", properties: [
                ("name", .listJoin("-", [.getParam("OS::stack_name"), "key"])),
                ("public_key", .string(input.userPublicKey)),
            ], dependsOn: afterNetwork)),
            ("security_group", .init(type: "OS::Neutron::SecurityGroup", properties: [
                ("name", .listJoin("-", [.getParam("OS::stack_name"), "sg"])),
                ("description", .string("DISCO cluster \(spec.name): public ports of its components, all traffic between its nodes")),
                ("rules", .list(rules)),
            ], dependsOn: afterNetwork)),
            ("subnet", .init(type: "OS::Neutron::Subnet", properties: subnet)),
            ("router", .init(type: "OS::Neutron::Router", properties: [
                ("external_gateway_info", ["network": .getParam("external_network")]),
            ], dependsOn: afterNetwork)),
            ("router_interface", .init(type: "OS::Neutron::RouterInterface", properties: [
                ("router", .getResource("router")), ("subnet", .getResource("subnet")),
            ])),
            ("master_port", .init(type: "OS::Neutron::Port", properties: [
                ("network", .getResource("network")),
                ("fixed_ips", [["subnet": .getResource("subnet")]]),
                ("security_groups", [.getResource("security_group")]),
            ])),
            ("master_floating_ip", .init(type: "OS::Neutron::FloatingIP", properties: [
                ("floating_network", .getParam("external_network")),
                ("port_id", .getResource("master_port")),
            ], dependsOn: ["router_interface"])),
            // HEAT_SIGNAL hands the scripts credentials to mint tokens with; the default (TOKEN_SIGNAL) mints one token
            // when the handle is made, which expires before a long install ends.
            ("install_handle", .init(type: "OS::Heat::WaitConditionHandle", properties: [("signal_transport", "HEAT_SIGNAL")],
                                     dependsOn: afterNetwork)),
            ("master", .init(type: "OS::Nova::Server", properties: [
                ("name", .string("\(prefix)-master")),
                ("image", .getParam("master_image")),
                ("flavor", .getParam("master_flavor")),
                ("key_name", .getResource("keypair")),
                ("networks", [["port": .getResource("master_port")]]),
                ("user_data_format", "RAW"),
                // A changed script must never replace the master (e.g. when scaling).
                ("user_data_update_policy", "IGNORE"),
                ("user_data", .strReplace(template: .string(input.masterUserData), params: scriptParams)),
            ], dependsOn: ["router_interface"])),
            ("workers", .init(type: "OS::Heat::ResourceGroup", properties: [
                ("count", .getParam("worker_count")),
                ("resource_def", [
                    "type": "OS::Nova::Server",
                    "properties": [
                        "name": .string("\(prefix)-worker-%index%"),
                        "image": .getParam("worker_image"),
                        "flavor": .getParam("worker_flavor"),
                        "key_name": .getResource("keypair"),
                        "networks": [["network": .getResource("network"), "subnet": .getResource("subnet")]],
                        "security_groups": [.getResource("security_group")],
                        "user_data_format": "RAW",
                        "user_data_update_policy": "IGNORE",
                        "user_data": .strReplace(template: .string(input.workerUserData), params: scriptParams),
                    ],
                ]),
            ], dependsOn: ["router_interface"])),
            ("install_wait", .init(type: "OS::Heat::WaitCondition", properties: [
                ("handle", .getResource("install_handle")),
                ("count", .getParam(Self.installSignalsParameter)),
                ("timeout", .int(input.installTimeoutSeconds)),
            ], metadata: ["disco": ["components": .list(input.components.map(HOTValue.string)), "workers": "workers"]],
               dependsOn: ["master"])),
        ]

        let externalIP = HOTValue.getAttr("master_floating_ip", "floating_ip_address")
        var outputs: [(String, HeatTemplate.Output)] = [
            ("external_ip", .init(description: "Floating IP of the master", value: externalIP)),
            ("ssh_key_name", .init(description: "Name of the cluster's key pair", value: .getResource("keypair"))),
            ("ssh_public_key", .init(description: "Public key of the cluster's key pair", value: .string(input.userPublicKey))),
            ("master_address", .init(description: "Fixed IP of the master", value: masterAddress)),
            ("worker_addresses", .init(description: "Fixed IPs of the workers", value: .getAttr("workers", "first_address"))),
            ("install_result", .init(description: "Install signals by component", value: .getAttr("install_wait", "data"))),
            ("status_page", .init(description: "Install status page of the master",
                                  value: .strReplace(template: "http://HOST:8084/", params: [("HOST", externalIP)]))),
        ]
        for link in input.uiLinks {
            outputs.append((link.outputKey, .init(
                description: "\(link.name) (\(link.component))\(link.isPublic ? "" : ", reached through an SSH tunnel")",
                value: .strReplace(template: .string("\(link.scheme)://HOST:\(link.port)\(link.path)"), params: [("HOST", externalIP)]))))
        }

        return HeatTemplate(
            description: "DISCO cluster \(spec.name): 1 master and workers with \(input.components.joined(separator: ", "))",
            parameters: parameters, resources: resources, outputs: outputs)
    }
}
