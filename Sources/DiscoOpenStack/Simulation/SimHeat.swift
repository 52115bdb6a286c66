import DiscoCore
import Foundation

// The simulated Heat engine. Everything here runs under `lock`.
extension SimulatedCloud {
    static let serverTypes: Set<String> = ["OS::Nova::Server"]
    static let groupType = "OS::Heat::ResourceGroup"
    static let waitType = "OS::Heat::WaitCondition"
    static let handleTypes: Set<String> = ["OS::Heat::WaitConditionHandle", "OS::Heat::UpdateWaitConditionHandle"]

    // MARK: - Timeline

    /// Applies every due step of every stack.
    func advanceAll() {
        let now = clock.now()
        for id in state.stacks.pending { advance(id, now: now) }
    }

    func advance(_ id: String, now: Date) {
        guard var stack = state.stacks[id], !stack.steps.isEmpty else { return }
        let wasPurged = stack.isPurged
        var remaining: [Step] = []
        for step in stack.steps {
            if step.due <= now { apply(step, to: &stack) } else { remaining.append(step) }
        }
        stack.steps = remaining
        state.stacks[id] = stack
        if stack.isPurged && !wasPurged { notePurged(id) }
    }

    /// Forgets the oldest purged stacks past ``Configuration/maxPurgedStacks``.
    private func notePurged(_ id: String) {
        state.purgedStacks.append(id)
        let excess = state.purgedStacks.count - configuration.maxPurgedStacks
        guard excess > 0 else { return }
        for old in state.purgedStacks.prefix(excess) { state.stacks[old] = nil }
        state.purgedStacks.removeFirst(excess)
    }

    private func apply(_ step: Step, to stack: inout SimStack) {
        switch step.kind {
        case let .resource(name, member, status, reason):
            guard var resource = stack.resources[name] else { return }
            var eventName = name
            var physical = resource.physicalID
            var type = resource.type
            if let member {
                guard resource.members.indices.contains(member) else { return }
                resource.members[member].status = status
                resource.members[member].statusReason = reason
                if status == "CREATE_COMPLETE" { resource.members[member].isCreated = true }
                eventName = String(member)
                physical = resource.members[member].physicalID
                type = resource.members[member].type
            } else {
                resource.status = status
                resource.statusReason = reason
                if status == "CREATE_COMPLETE" { resource.isCreated = true }
            }
            stack.resources[name] = resource
            record(&stack, step.due, eventName, physical, status, reason, type)
        case let .stack(status, reason):
            stack.status = status
            stack.reason = reason
            record(&stack, step.due, stack.name, stack.id, status, reason, "OS::Heat::Stack")
        case let .signal(handle, waitCondition, id, data, reason):
            stack.signals[waitCondition, default: []].append((id, data))
            let handleID = stack.resources[handle]?.physicalID ?? ""
            let handleStatus = stack.resources[handle]?.status.split(separator: "_", maxSplits: 1).last.map(String.init) ?? "COMPLETE"
            record(&stack, step.due, handle, handleID, "SIGNAL_\(handleStatus)", "Signal: status:SUCCESS reason:\(reason)",
                   stack.resources[handle]?.type ?? "OS::Heat::WaitConditionHandle")
            _ = data
        case let .addMember(group, member):
            stack.resources[group]?.members.append(member)
        case let .removeMember(group, index):
            if let count = stack.resources[group]?.members.count, index < count {
                stack.resources[group]?.members.remove(at: index)
            }
        case .purge:
            stack.isPurged = true
            let project = Self.stackUserProject(stack.id)
            state.stackUsers = state.stackUsers.filter { $0.value.projectID != project }
            stack.usage = Usage()
            // A purged stack stays findable by id (DELETE_COMPLETE), but its template, resources and events (the
            // install scripts) are dropped: kept, they grow a long soak's memory and hide DISCO's own.
            stack.template = .object([:])
            stack.resources = [:]
            stack.events = []
        }
    }

    private func record(_ stack: inout SimStack, _ time: Date, _ name: String, _ physical: String, _ status: String,
                        _ reason: String, _ type: String) {
        stack.events.append(SimEvent(id: Self.uuid(), time: time, resourceName: name, physicalID: physical, status: status,
                                     reason: reason, resourceType: type))
        if stack.events.count > 1000 { stack.events.removeFirst(200) } // Heat prunes like this too
    }

    func schedule(_ steps: inout [Step], _ due: Date, _ kind: StepKind) {
        state.sequence += 1
        steps.append(Step(due: due, order: state.sequence, kind: kind))
    }

    // MARK: - Parameters and dependencies

    func typedParameters(_ template: JSONValue, given: [String: String], stack: SimStack) throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [
            "OS::stack_name": .string(stack.name), "OS::stack_id": .string(stack.id), "OS::project_id": .string(stack.projectID),
        ]
        for (name, definition) in template["parameters"]?.objectValue ?? [:] {
            let type = definition["type"]?.stringValue ?? "string"
            let raw: JSONValue
            if let value = given[name] { raw = .string(value) }
            else if let value = definition["default"] { raw = value }
            else {
                throw HeatFailure(status: 400, type: "UserParameterMissing", message: "The Parameter (\(name)) was not provided.")
            }
            switch type {
            case "number":
                if let int = raw.intValue, raw.doubleValue == Double(int) { result[name] = .int(int) }
                else if let double = raw.doubleValue { result[name] = .double(double) }
                else {
                    throw HeatFailure(status: 400, type: "StackValidationFailed",
                                      message: "Parameter '\(name)' is invalid: could not convert string to float: '\(raw.textValue)'")
                }
            case "boolean": result[name] = .bool(raw.boolValue ?? false)
            case "json": result[name] = raw.stringValue.flatMap { try? JSONValue.parse($0) } ?? raw
            case "comma_delimited_list":
                result[name] = raw.arrayValue.map(JSONValue.array)
                    ?? .array(raw.textValue.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            default: result[name] = .string(raw.textValue)
            }
        }
        return result
    }

    func dependencyOrder(_ resources: [String: JSONValue], parameterNames: Set<String>)
        throws -> (order: [String], deps: [String: Set<String>]) {
        var deps: [String: Set<String>] = [:]
        for (name, definition) in resources {
            var found = IntrinsicResolver.references(in: definition["properties"] ?? .null).subtracting(parameterNames)
            switch definition["depends_on"] {
            case .string(let one)?: found.insert(one)
            case .array(let many)?: found.formUnion(many.compactMap(\.stringValue))
            default: break
            }
            if let unknown = found.subtracting(resources.keys).sorted().first {
                throw HeatFailure(status: 400, type: "StackValidationFailed",
                                  message: "The specified reference \"\(unknown)\" (in \(name)) is incorrect.")
            }
            deps[name] = found.subtracting([name])
        }
        var order: [String] = []
        var done = Set<String>()
        while order.count < resources.count {
            let ready = resources.keys.filter { !done.contains($0) && deps[$0]!.isSubset(of: done) }.sorted()
            guard !ready.isEmpty else {
                let cycle = resources.keys.filter { !done.contains($0) }.sorted().joined(separator: ", ")
                throw HeatFailure(status: 400, type: "CircularDependencyException", message: "Circular Dependency Found: \(cycle)")
            }
            order += ready
            done.formUnion(ready)
        }
        return (order, deps)
    }

    // MARK: - Attributes

    func resolver(for stack: SimStack, parameters: [String: JSONValue], createdOnly: Bool) -> IntrinsicResolver {
        IntrinsicResolver(
            parameter: { parameters[$0] },
            reference: { name in
                guard let resource = stack.resources[name] else { return nil }
                return .string(resource.physicalID)
            },
            attribute: { name, path in self.attribute(of: stack, name, path, createdOnly: createdOnly) })
    }

    func attribute(of stack: SimStack, _ name: String, _ path: [JSONValue], createdOnly: Bool) -> JSONValue? {
        guard let resource = stack.resources[name], let first = path.first?.stringValue else { return nil }
        if createdOnly && !resource.isCreated { return nil }
        if resource.type == Self.groupType {
            let members = resource.members.filter { !createdOnly || $0.isCreated }
            let rest = Array(path.dropFirst())
            switch first {
            case "refs": return .array(members.map { .string($0.physicalID) })
            case "refs_map":
                return .object(Dictionary(uniqueKeysWithValues: members.enumerated().map { (String($0.offset), JSONValue.string($0.element.physicalID)) }))
            case "attributes":
                guard let attribute = rest.first else { return nil }
                return .object(Dictionary(uniqueKeysWithValues: members.enumerated().map {
                    (String($0.offset), IntrinsicResolver.walk(.object($0.element.attributes), [attribute] + rest.dropFirst()) ?? .null)
                }))
            default:
                if first.hasPrefix("resource.") {
                    let parts = first.dropFirst("resource.".count).split(separator: ".", maxSplits: 1).map(String.init)
                    guard let index = Int(parts[0]), members.indices.contains(index) else { return nil }
                    let attributePath = (parts.count > 1 ? [JSONValue.string(parts[1])] : []) + rest
                    if attributePath.isEmpty { return .string(members[index].physicalID) }
                    return IntrinsicResolver.walk(.object(members[index].attributes), attributePath)
                }
                return .array(members.map { IntrinsicResolver.walk(.object($0.attributes), path) ?? .null })
            }
        }
        if resource.type == Self.waitType && first == "data" {
            var data: [String: JSONValue] = [:]
            for signal in stack.signals[name] ?? [] { data[signal.id] = .string(signal.data) }
            return .string(JSONValue.object(data).jsonText)
        }
        if first == "show" { return .object(resource.attributes) }
        return IntrinsicResolver.walk(.object(resource.attributes), path)
    }

    // MARK: - Building resources

    /// Plans one resource: validates its resolved properties and makes its attributes.
    func build(_ name: String, type: String, properties: JSONValue, stack: inout SimStack, member: Int? = nil)
        throws -> SimResource {
        let label = member.map { "resources.\(name).resources[\($0)]" } ?? "resources.\(name)"
        var resource = SimResource(name: member.map(String.init) ?? name, type: type, physicalID: Self.uuid(), properties: properties)
        func invalid(_ property: String, _ value: String, _ why: String) -> HeatFailure {
            HeatFailure(status: 400, type: "StackValidationFailed",
                        message: "Property error: \(label).properties.\(property): Error validating value '\(value)': \(why)")
        }
        switch type {
        case "OS::Nova::Server":
            let flavorName = properties["flavor"]?.textValue ?? ""
            guard let flavor = flavor(flavorName) else {
                throw invalid("flavor", flavorName, "The Flavor ID (\(flavorName)) could not be found.")
            }
            let imageName = properties["image"]?.textValue ?? ""
            guard configuration.images.contains(where: { $0.name == imageName || $0.id == imageName }) else {
                throw invalid("image", imageName, "No images matching {'name': '\(imageName)'}.")
            }
            var networks: [String: JSONValue] = [:]
            var addresses: [String: JSONValue] = [:]
            var first: String?
            for network in properties["networks"]?.arrayValue ?? [] {
                var ip: String?
                var networkID = network["network"]?.textValue
                if let port = network["port"]?.stringValue,
                   let portResource = stack.resources.values.first(where: { $0.physicalID == port }) {
                    ip = portResource.attributes["fixed_ips"]?[0]?["ip_address"]?.stringValue
                    networkID = portResource.attributes["network_id"]?.stringValue
                } else if let fixed = network["fixed_ip"]?.stringValue {
                    ip = fixed
                } else if let networkID {
                    ip = allocate(onNetwork: networkID, in: &stack)
                }
                let networkName = networkID.map { id in
                    stack.resources.values.first { $0.physicalID == id }?.attributes["name"]?.stringValue
                        ?? externalNetwork(id) ?? id
                } ?? "private"
                if let ip {
                    first = first ?? ip
                    networks[networkName, default: .array([])] = .array((networks[networkName]?.arrayValue ?? []) + [.string(ip)])
                    addresses[networkName] = .array((addresses[networkName]?.arrayValue ?? []) + [
                        ["addr": .string(ip), "version": 4, "OS-EXT-IPS:type": "fixed"]])
                }
            }
            let serverName = properties["name"]?.stringValue ?? "\(stack.name)-\(name)-\(resource.physicalID.prefix(12))"
            resource.attributes = ["name": .string(serverName), "first_address": first.map(JSONValue.string) ?? "",
                                   "networks": .object(networks), "addresses": .object(addresses),
                                   "accessIPv4": "", "accessIPv6": "", "instance_name": .string("instance-\(resource.physicalID.prefix(8))"),
                                   "flavor": .string(flavor.name), "image": .string(imageName), "console_urls": [:]]
            resource.usage = Usage(instances: 1, cores: flavor.vcpus, ramMB: flavor.ramMB)
        case "OS::Nova::KeyPair":
            guard let publicKey = properties["public_key"]?.stringValue, !publicKey.isEmpty else {
                throw HeatFailure(status: 400, type: "StackValidationFailed",
                                  message: "Property error: \(label).properties: The public_key property is required by the nova API version currently used.")
            }
            let keyName = properties["name"]?.stringValue ?? "\(stack.name)-\(name)"
            resource.physicalID = keyName
            resource.attributes = ["name": .string(keyName), "public_key": .string(publicKey), "private_key": "",
                                   "user_id": .string(stack.owner)]
        case "OS::Neutron::Net":
            let netName = properties["name"]?.stringValue ?? "\(stack.name)-\(name)-\(resource.physicalID.prefix(12))"
            resource.attributes = ["name": .string(netName), "status": "ACTIVE", "admin_state_up": true, "mtu": 1450,
                                   "subnets": [], "tenant_id": .string(stack.projectID)]
        case "OS::Neutron::Subnet":
            let cidr = properties["cidr"]?.stringValue ?? "10.0.0.0/24"
            guard let block = IPv4Block(cidr) else { throw invalid("cidr", cidr, "Invalid CIDR \(cidr)") }
            resource.attributes = ["cidr": .string(cidr), "gateway_ip": .string(block.gateway), "ip_version": 4,
                                   "network_id": properties["network"] ?? properties["network_id"] ?? "",
                                   "name": properties["name"] ?? .string("\(stack.name)-\(name)"), "enable_dhcp": true,
                                   "allocation_pools": [["start": .string(block.address(0)), "end": .string(block.address(Int(block.size) - 4))]]]
        case "OS::Neutron::Port":
            let networkID = properties["network"]?.textValue ?? properties["network_id"]?.textValue ?? ""
            var subnetID = properties["fixed_ips"]?[0]?["subnet"]?.textValue ?? properties["fixed_ips"]?[0]?["subnet_id"]?.textValue
            var ip = properties["fixed_ips"]?[0]?["ip_address"]?.stringValue
            if ip == nil {
                if let subnetID, stack.resources.values.contains(where: { $0.physicalID == subnetID }) {
                    ip = allocate(onSubnet: subnetID, in: &stack)
                } else {
                    ip = allocate(onNetwork: networkID, in: &stack)
                    subnetID = stack.resources.values.first { $0.type == "OS::Neutron::Subnet" && $0.attributes["network_id"]?.textValue == networkID }?.physicalID
                }
            }
            let mac = (0..<5).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
            resource.attributes = ["network_id": .string(networkID), "mac_address": .string("fa:" + mac), "status": "DOWN",
                                   "fixed_ips": [["subnet_id": .string(subnetID ?? ""), "ip_address": .string(ip ?? "")]],
                                   "name": properties["name"] ?? "", "security_groups": properties["security_groups"] ?? []]
        case "OS::Neutron::Router":
            var gateway: JSONValue = nil
            if let external = properties["external_gateway_info"]?["network"]?.textValue {
                guard let network = externalNetwork(external) else {
                    throw invalid("external_gateway_info.network", external, "Unable to find network with name or id '\(external)'")
                }
                gateway = ["network_id": .string(externalNetworkID(network)), "enable_snat": true,
                           "external_fixed_ips": [["subnet_id": .string(Self.stableID("subnet-\(network)")),
                                                   "ip_address": .string(allocateFloating())]]]
            }
            resource.attributes = ["name": properties["name"] ?? .string("\(stack.name)-\(name)"), "status": "ACTIVE",
                                   "external_gateway_info": gateway, "admin_state_up": true]
        case "OS::Neutron::FloatingIP":
            let pool = properties["floating_network"]?.textValue ?? properties["floating_network_id"]?.textValue ?? ""
            guard let network = externalNetwork(pool) else {
                throw invalid("floating_network", pool, "Unable to find network with name or id '\(pool)'")
            }
            let port = properties["port_id"]?.stringValue
            let fixed = port.flatMap { id in stack.resources.values.first { $0.physicalID == id } }?
                .attributes["fixed_ips"]?[0]?["ip_address"] ?? nil
            resource.attributes = ["floating_ip_address": .string(allocateFloating()), "floating_network_id": .string(externalNetworkID(network)),
                                   "port_id": port.map(JSONValue.string) ?? nil, "fixed_ip_address": fixed, "router_id": nil]
            resource.usage = Usage(floatingIPs: 1)
        case "OS::Neutron::SecurityGroup":
            resource.attributes = ["name": properties["name"] ?? .string("\(stack.name)-\(name)-\(resource.physicalID.prefix(12))"),
                                   "rules": properties["rules"] ?? []]
        case "OS::Heat::WaitConditionHandle", "OS::Heat::UpdateWaitConditionHandle":
            if properties["signal_transport"]?.stringValue == "HEAT_SIGNAL" {
                resource.attributes = ["endpoint": nil, "token": nil, "curl_cli": nil,
                                       "signal": .string(makeSignalUser(handle: name, stack: stack).jsonText)]
            } else {
                // TOKEN_SIGNAL: one token, made now (it authenticates nothing here).
                let endpoint = host + "/heat/v1/\(stack.projectID)/stacks/\(stack.name)/\(stack.id)/resources/\(name)/signal"
                let token = Self.randomToken()
                resource.attributes = ["endpoint": .string(endpoint), "token": .string(token),
                                       "curl_cli": .string("curl -i -X POST -H 'X-Auth-Token: \(token)' -H 'Content-Type: application/json' -H 'Accept: application/json' \(endpoint)"),
                                       "signal": "null"]
            }
        case "OS::Heat::RandomString":
            let length = properties["length"]?.intValue ?? 32
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            resource.attributes = ["value": .string(String((0..<length).map { _ in alphabet.randomElement()! }))]
        default:
            resource.attributes = [:]
        }
        return resource
    }

    /// The project Heat makes a stack's signal users in (Heat's stack user project).
    static func stackUserProject(_ stackID: String) -> String { stableID("stack-user-project-\(stackID)") }

    /// A user in Heat's stack domain for `handle`, as Heat makes for `HEAT_SIGNAL`, and the handle's `signal`
    /// credentials: Keystone's URL, the user, its password and project, and the URL to POST signals to.
    private func makeSignalUser(handle: String, stack: SimStack) -> JSONValue {
        let project = Self.stackUserProject(stack.id)
        let password = String(Self.randomToken().suffix(32))
        let user = User(id: Self.uuid().replacingOccurrences(of: "-", with: ""), name: "\(stack.name)-\(handle)-\(Self.uuid().prefix(12))",
                        password: password, domain: "heat", projectID: project, projectName: project, roles: ["heat_stack_user"])
        if stack.id != "None" { state.stackUsers[user.id] = user }  // a preview makes no user
        return ["auth_url": .string(host + "/identity/v3"), "username": .string(user.name), "user_id": .string(user.id),
                "password": .string(password), "project_id": .string(project), "domain_id": "heat",
                "region_name": .string(Self.region),
                "alarm_url": .string(host + "/heat/v1/\(project)/stacks/\(stack.name)/\(stack.id)/resources/\(handle)/signal")]
    }

    private func allocate(onSubnet subnetID: String, in stack: inout SimStack) -> String? {
        guard let subnet = stack.resources.values.first(where: { $0.physicalID == subnetID }),
              let block = IPv4Block(subnet.attributes["cidr"]?.stringValue ?? "") else { return nil }
        let next = stack.addressNext[subnetID, default: 8]
        stack.addressNext[subnetID] = next + 1
        return block.address(next)
    }

    private func allocate(onNetwork networkID: String, in stack: inout SimStack) -> String? {
        if let subnet = stack.resources.values.first(where: {
            $0.type == "OS::Neutron::Subnet" && $0.attributes["network_id"]?.textValue == networkID
        }) {
            return allocate(onSubnet: subnet.physicalID, in: &stack)
        }
        if externalNetwork(networkID) != nil { return allocateFloating() }
        let next = stack.addressNext["private", default: 8]
        stack.addressNext["private"] = next + 1
        return IPv4Block("10.0.0.0/24")!.address(next)
    }

    private func allocateFloating() -> String {
        defer { state.floatingNext += 1 }
        // TEST-NET-3 first (what fixtures show), then the benchmarking range, so ten thousand clusters differ.
        if state.floatingNext < 245 { return IPv4Block("203.0.113.0/24")!.address(8 + state.floatingNext) }
        return IPv4Block("198.18.0.0/15")!.address(state.floatingNext - 245)
    }
}
