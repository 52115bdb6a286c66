import DiscoCore
import Foundation

extension SimulatedCloud {
    // MARK: - Planning

    /// Builds every resource of `stack` (validating properties like Heat does at `POST /stacks`).
    func plan(_ stack: inout SimStack) throws -> [String: JSONValue] {
        let template = stack.template
        guard template["heat_template_version"] != nil else {
            throw HeatFailure(status: 400, type: "InvalidTemplateVersion",
                              message: "The template version is invalid: Template version was not provided")
        }
        let parameters = try typedParameters(template, given: stack.parameters, stack: stack)
        let definitions = template["resources"]?.objectValue ?? [:]
        let (order, deps) = try dependencyOrder(definitions, parameterNames: Set(parameters.keys))
        for name in order {
            let definition = definitions[name] ?? .null
            guard let type = definition["type"]?.stringValue else {
                throw HeatFailure(status: 400, type: "StackValidationFailed", message: "Resource \(name) has no type")
            }
            let resolver = resolver(for: stack, parameters: parameters, createdOnly: false)
            var resource: SimResource
            if type == Self.groupType {
                let count = resolver.resolve(definition["properties"]?["count"] ?? 1).intValue ?? 1
                let memberDefinition = definition["properties"]?["resource_def"] ?? .null
                let variable = definition["properties"]?["index_var"]?.stringValue ?? "%index%"
                resource = SimResource(name: name, type: type, physicalID: Self.uuid(), properties: .object(["count": .int(count)]))
                for index in 0..<max(0, count) {
                    resource.members.append(try buildMember(name, memberDefinition, index: index, variable: variable,
                                                            resolver: resolver, stack: &stack))
                }
                for member in resource.members { resource.usage.add(member.usage) }
                resource.attributes = [:]
            } else {
                let properties = resolver.resolve(definition["properties"] ?? .object([:]))
                resource = try build(name, type: type, properties: properties, stack: &stack)
            }
            resource.name = name
            resource.metadata = definition["metadata"] ?? .null
            resource.dependsOn = deps[name] ?? []
            stack.resources[name] = resource
        }
        stack.order = order
        var usage = Usage()
        for resource in stack.resources.values { usage.add(resource.usage) }
        stack.usage = usage
        return parameters
    }

    func buildMember(_ group: String, _ definition: JSONValue, index: Int, variable: String, resolver: IntrinsicResolver,
                     stack: inout SimStack) throws -> SimResource {
        let type = definition["type"]?.stringValue ?? "OS::Heat::None"
        let raw = IntrinsicResolver.substituteIndex(definition["properties"] ?? .object([:]), index: index, variable: variable)
        var member = try build(group, type: type, properties: resolver.resolve(raw), stack: &stack, member: index)
        member.name = String(index)
        return member
    }

    func duration(_ resource: SimResource) -> Double {
        if Self.serverTypes.contains(resource.type) { return configuration.timing.server }
        if resource.type == Self.groupType {
            return resource.members.contains { Self.serverTypes.contains($0.type) } ? configuration.timing.server : configuration.timing.resource
        }
        return configuration.timing.resource
    }

    func isServerLike(_ resource: SimResource) -> Bool {
        Self.serverTypes.contains(resource.type) || (resource.type == Self.groupType && resource.members.contains { Self.serverTypes.contains($0.type) })
    }

    /// The quota message Nova would give when `adding` goes over, or `nil`.
    func quotaMessage(used: Usage, adding: Usage) -> String? {
        let quota = configuration.quota
        if adding.instances > 0 && used.instances + adding.instances > quota.instances {
            return "Quota exceeded for instances: Requested \(adding.instances), but already used \(used.instances) of \(quota.instances) instances"
        }
        if adding.cores > 0 && used.cores + adding.cores > quota.cores {
            return "Quota exceeded for cores: Requested \(adding.cores), but already used \(used.cores) of \(quota.cores) cores"
        }
        if adding.ramMB > 0 && used.ramMB + adding.ramMB > quota.ramMB {
            return "Quota exceeded for ram: Requested \(adding.ramMB), but already used \(used.ramMB) of \(quota.ramMB) ram"
        }
        return nil
    }

    struct Failure {
        var time: Double
        var resource: String
        var member: Int?
        var reason: String
    }

    // MARK: - Create

    func scheduleCreate(_ stack: inout SimStack, now: Date) {
        let timing = configuration.timing
        var steps: [Step] = []
        schedule(&steps, now, .stack(status: "CREATE_IN_PROGRESS", reason: "Stack CREATE started"))
        let order = stack.order
        let resources = stack.resources
        func transitiveDeps(_ name: String) -> Set<String> {
            var seen = Set<String>(), queue = Array(resources[name]?.dependsOn ?? [])
            while let next = queue.popLast() {
                if seen.insert(next).inserted { queue += resources[next]?.dependsOn ?? [] }
            }
            return seen
        }
        let waits = Set(order.filter { resources[$0]?.type == Self.waitType })
        let afterWait = Set(order.filter { !transitiveDeps($0).isDisjoint(with: waits) })
        var start: [String: Double] = [:], end: [String: Double] = [:]
        for name in order {
            start[name] = resources[name]!.dependsOn.map { end[$0] ?? 0 }.max() ?? 0
            end[name] = start[name]! + duration(resources[name]!)
        }
        let serversDone = order.filter { !waits.contains($0) && !afterWait.contains($0) && isServerLike(resources[$0]!) }
            .map { end[$0]! }.max() ?? 0
        var signalStart: [String: Double] = [:]
        var failures: [Failure] = []
        for name in order {
            let resource = resources[name]!
            start[name] = resource.dependsOn.map { end[$0] ?? 0 }.max() ?? 0
            if resource.type == Self.waitType {
                let components = resource.metadata["disco"]?["components"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let expected = components.count + Self.signallingWorkers(of: resource, in: resources).count
                let count = resource.properties["count"]?.intValue ?? 1
                let begin = max(start[name]!, serversDone)
                signalStart[name] = begin
                if count <= expected {
                    end[name] = begin + timing.signal * Double(max(1, components.count))
                } else {
                    let timeout = resource.properties["timeout"]?.doubleValue ?? 3600
                    end[name] = start[name]! + timeout
                    failures.append(Failure(time: end[name]!, resource: name, member: nil,
                                            reason: "WaitConditionTimeout: resources.\(name): \(expected) of \(count) received"))
                }
            } else {
                end[name] = start[name]! + duration(resource) + (resource.type == Self.groupType ? timing.groupCompletion : 0)
            }
        }
        // Injected failures.
        for name in order {
            if let reason = state.faults.failingResources.removeValue(forKey: name) {
                failures.append(Failure(time: end[name]!, resource: name, member: nil, reason: reason))
            }
        }
        // Quota, in the order servers are created.
        var used = usage(projectID: stack.projectID, excluding: stack.id)
        var forced = state.faults.quotaOnNextCreate
        state.faults.quotaOnNextCreate = false
        var servers: [(time: Double, name: String, member: Int?, usage: Usage)] = []
        for name in order {
            let resource = resources[name]!
            if resource.type == Self.groupType {
                for (index, member) in resource.members.enumerated() where member.usage != Usage() {
                    servers.append((start[name]!, name, index, member.usage))
                }
            } else if resource.usage != Usage() {
                servers.append((start[name]!, name, nil, resource.usage))
            }
        }
        for server in servers.sorted(by: { $0.time < $1.time }) {
            let label = server.member.map { "resources.\(server.name).resources[\($0)]" } ?? "resources.\(server.name)"
            if server.usage.floatingIPs > 0 && used.floatingIPs + server.usage.floatingIPs > configuration.quota.floatingIPs {
                failures.append(Failure(time: server.time, resource: server.name, member: server.member,
                                        reason: "Conflict: \(label): Quota exceeded for resources: ['floatingip']."))
                break
            }
            var message = quotaMessage(used: used, adding: Usage(instances: server.usage.instances, cores: server.usage.cores, ramMB: server.usage.ramMB))
            if forced && server.usage.instances > 0 {
                forced = false
                message = message ?? "Quota exceeded for instances: Requested 1, but already used \(configuration.quota.instances) of \(configuration.quota.instances) instances"
            }
            if let message {
                failures.append(Failure(time: server.time, resource: server.name, member: server.member,
                                        reason: "Forbidden: \(label): \(message) (HTTP 403) (Request-ID: req-\(Self.uuid()))"))
                break
            }
            used.add(server.usage)
        }
        let failure = failures.min { $0.time < $1.time }
        let cut = failure?.time ?? .infinity
        func at(_ offset: Double) -> Date { now.addingTimeInterval(offset) }
        let emitOrder = order.filter { !waits.contains($0) && !afterWait.contains($0) } + order.filter { waits.contains($0) || afterWait.contains($0) }
        for name in emitOrder {
            let resource = resources[name]!
            guard start[name]! <= cut, !(failure != nil && (waits.contains(name) || afterWait.contains(name)) && start[name]! >= cut) else { continue }
            schedule(&steps, at(start[name]!), .resource(name, member: nil, status: "CREATE_IN_PROGRESS", reason: "state changed"))
            if resource.type == Self.groupType {
                for index in resource.members.indices {
                    schedule(&steps, at(start[name]!), .resource(name, member: index, status: "CREATE_IN_PROGRESS", reason: "state changed"))
                    if failure?.resource == name && failure?.member == index { continue }
                    let memberEnd = start[name]! + duration(resource)
                    if memberEnd <= cut {
                        schedule(&steps, at(memberEnd), .resource(name, member: index, status: "CREATE_COMPLETE", reason: "state changed"))
                    }
                }
            }
            if resource.type == Self.waitType, let begin = signalStart[name] {
                let components = resource.metadata["disco"]?["components"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let handle = resources.values.first { Self.handleTypes.contains($0.type) && $0.physicalID == resource.properties["handle"]?.stringValue }?.name
                    ?? resource.dependsOn.first { Self.handleTypes.contains(resources[$0]?.type ?? "") } ?? name
                // The workers are installed before the master's components are (it waits for them).
                for (index, worker) in Self.signallingWorkers(of: resource, in: resources).enumerated() {
                    let time = begin + timing.signal / 2
                    if failure != nil && time >= cut { break }
                    schedule(&steps, at(time), Self.workerSignal(handle: handle, wait: name, index: index, server: worker))
                }
                for (k, component) in components.enumerated() {
                    let time = begin + timing.signal * Double(k + 1)
                    if failure != nil && time >= cut { break }
                    schedule(&steps, at(time), .signal(handle: handle, waitCondition: name, id: component,
                                                       data: "\(component) ready", reason: "\(component) ready"))
                }
            }
            if failure?.resource == name { continue }
            if end[name]! < cut || (failure == nil) || (end[name]! == cut && !waits.contains(name)) {
                schedule(&steps, at(end[name]!), .resource(name, member: nil, status: "CREATE_COMPLETE", reason: "state changed"))
            }
        }
        if let failure {
            if let member = failure.member {
                schedule(&steps, at(failure.time), .resource(failure.resource, member: member, status: "CREATE_FAILED", reason: failure.reason))
            }
            schedule(&steps, at(failure.time), .resource(failure.resource, member: nil, status: "CREATE_FAILED", reason: failure.reason))
            schedule(&steps, at(failure.time), .stack(status: "CREATE_FAILED", reason: "Resource CREATE failed: \(failure.reason)"))
            if !stack.disableRollback {
                let rollbackAt = failure.time + 0.001
                schedule(&steps, at(rollbackAt), .stack(status: "ROLLBACK_IN_PROGRESS", reason: "Stack ROLLBACK started"))
                schedule(&steps, at(rollbackAt + timing.delete), .stack(status: "ROLLBACK_COMPLETE", reason: "Stack ROLLBACK completed successfully"))
            }
        } else {
            let finish = (end.values.max() ?? 0) + timing.completion
            schedule(&steps, at(finish), .stack(status: "CREATE_COMPLETE", reason: "Stack CREATE completed successfully"))
        }
        stack.steps = steps.sorted { ($0.due, $0.order) < ($1.due, $1.order) }
    }

    // MARK: - Delete

    func scheduleDelete(_ stack: inout SimStack, now: Date) {
        let timing = configuration.timing
        var steps: [Step] = []
        stack.steps.removeAll()
        schedule(&steps, now, .stack(status: "DELETE_IN_PROGRESS", reason: "Stack DELETE started"))
        let names = stack.order.reversed().filter { stack.resources[$0]?.status != "INIT_COMPLETE" }
        let slice = timing.delete / Double(max(1, names.count))
        let failing = state.faults.failingDeletes[stack.name]
        let victim = names.first { stack.resources[$0]?.type == "OS::Neutron::RouterInterface" } ?? names.last
        for (i, name) in names.enumerated() {
            let t = now.addingTimeInterval(slice * Double(i))
            schedule(&steps, t, .resource(name, member: nil, status: "DELETE_IN_PROGRESS", reason: "state changed"))
            if let failing, name == victim {
                let t2 = t.addingTimeInterval(slice)
                schedule(&steps, t2, .resource(name, member: nil, status: "DELETE_FAILED", reason: failing))
                schedule(&steps, t2, .stack(status: "DELETE_FAILED", reason: "Resource DELETE failed: \(failing)"))
                stack.steps = steps
                return
            }
            schedule(&steps, t.addingTimeInterval(slice), .resource(name, member: nil, status: "DELETE_COMPLETE", reason: "state changed"))
        }
        let finish = now.addingTimeInterval(timing.delete)
        schedule(&steps, finish, .stack(status: "DELETE_COMPLETE", reason: "Stack DELETE completed successfully"))
        schedule(&steps, finish, .purge)
        stack.steps = steps
    }

    /// The servers whose install scripts signal `wait` once each: the members of the group its metadata names
    /// (`disco.workers`), as DISCO's templates have it.
    static func signallingWorkers(of wait: SimResource, in resources: [String: SimResource]) -> [SimResource] {
        wait.metadata["disco"]?["workers"]?.stringValue.flatMap { resources[$0]?.members } ?? []
    }

    /// A worker's signal, as the install script sends it: its id names the server.
    static func workerSignal(handle: String, wait: String, index: Int, server: SimResource) -> StepKind {
        .signal(handle: handle, waitCondition: wait, id: "worker@\(server.physicalID)",
                data: "worker \(index) installed", reason: "worker \(index) installed")
    }

    // MARK: - Update (PATCH)

    func scheduleUpdate(_ stack: inout SimStack, parameters given: [String: String], now: Date) throws {
        let timing = configuration.timing
        var merged = stack.parameters
        merged.merge(given) { $1 }
        var candidate = stack
        candidate.parameters = merged
        let parameters = try typedParameters(stack.template, given: merged, stack: candidate)
        let definitions = stack.template["resources"]?.objectValue ?? [:]
        var steps: [Step] = []
        schedule(&steps, now, .stack(status: "UPDATE_IN_PROGRESS", reason: "Stack UPDATE started"))
        var finish = 0.0
        var failure: String?
        var used = usage(projectID: stack.projectID, excluding: stack.id)
        used.add(stack.usage)
        var newUsage = stack.usage
        var added: [String: [(index: Int, server: SimResource)]] = [:]
        for name in stack.order where stack.resources[name]?.type == Self.groupType {
            let definition = definitions[name] ?? .null
            let resolver = resolver(for: stack, parameters: parameters, createdOnly: false)
            let newCount = max(0, resolver.resolve(definition["properties"]?["count"] ?? 1).intValue ?? 1)
            let members = stack.resources[name]!.members
            guard newCount != members.count else { continue }
            schedule(&steps, now, .resource(name, member: nil, status: "UPDATE_IN_PROGRESS", reason: "state changed"))
            let variable = definition["properties"]?["index_var"]?.stringValue ?? "%index%"
            var groupFailed = false
            if newCount > members.count {
                for index in members.count..<newCount {
                    var member = try buildMember(name, definition["properties"]?["resource_def"] ?? .null, index: index,
                                                 variable: variable, resolver: resolver, stack: &stack)
                    member.status = "INIT_COMPLETE"
                    added[name, default: []].append((index, member))
                    schedule(&steps, now, .addMember(name, member))
                    schedule(&steps, now, .resource(name, member: index, status: "CREATE_IN_PROGRESS", reason: "state changed"))
                    if let message = quotaMessage(used: used, adding: Usage(instances: member.usage.instances,
                                                                            cores: member.usage.cores, ramMB: member.usage.ramMB)) {
                        let reason = "Forbidden: resources.\(name).resources[\(index)]: \(message) (HTTP 403) (Request-ID: req-\(Self.uuid()))"
                        schedule(&steps, now, .resource(name, member: index, status: "CREATE_FAILED", reason: reason))
                        failure = reason
                        groupFailed = true
                        break
                    }
                    used.add(member.usage)
                    newUsage.add(member.usage)
                    schedule(&steps, now.addingTimeInterval(timing.server), .resource(name, member: index, status: "CREATE_COMPLETE", reason: "state changed"))
                    finish = max(finish, timing.server)
                }
            } else {
                for index in (newCount..<members.count).reversed() {
                    schedule(&steps, now, .resource(name, member: index, status: "DELETE_IN_PROGRESS", reason: "state changed"))
                    schedule(&steps, now.addingTimeInterval(timing.resource), .resource(name, member: index, status: "DELETE_COMPLETE", reason: "state changed"))
                    schedule(&steps, now.addingTimeInterval(timing.resource), .removeMember(name, index: index))
                    newUsage.instances -= members[index].usage.instances
                    newUsage.cores -= members[index].usage.cores
                    newUsage.ramMB -= members[index].usage.ramMB
                    finish = max(finish, timing.resource)
                }
            }
            if groupFailed {
                schedule(&steps, now, .resource(name, member: nil, status: "UPDATE_FAILED", reason: failure ?? ""))
                break
            }
            schedule(&steps, now.addingTimeInterval(finish), .resource(name, member: nil, status: "UPDATE_COMPLETE", reason: "state changed"))
        }
        if failure == nil {
            // As Heat: a wait condition whose count changed waits again, for the signals it does not have yet.
            for name in stack.order where stack.resources[name]?.type == Self.waitType {
                let resolver = resolver(for: stack, parameters: parameters, createdOnly: false)
                guard let wait = stack.resources[name],
                      let count = resolver.resolve(definitions[name]?["properties"]?["count"] ?? 1).intValue,
                      count != wait.properties["count"]?.intValue else { continue }
                stack.resources[name]?.properties = .object((wait.properties.objectValue ?? [:]).merging(["count": .int(count)]) { $1 })
                schedule(&steps, now, .resource(name, member: nil, status: "UPDATE_IN_PROGRESS", reason: "state changed"))
                let missing = count - Set((stack.signals[name] ?? []).map(\.id)).count
                let group = wait.metadata["disco"]?["workers"]?.stringValue ?? ""
                let signalling = (added[group] ?? []).prefix(max(0, missing))
                let handle = stack.resources.values.first { Self.handleTypes.contains($0.type) && $0.physicalID == wait.properties["handle"]?.stringValue }?.name ?? name
                var done = 0.0
                for (k, worker) in signalling.enumerated() {
                    done = timing.server + timing.signal * Double(k + 1)
                    schedule(&steps, now.addingTimeInterval(done), Self.workerSignal(handle: handle, wait: name, index: worker.index,
                                                                                     server: worker.server))
                }
                if signalling.count < missing {
                    let timeout = wait.properties["timeout"]?.doubleValue ?? 3600
                    failure = "WaitConditionTimeout: resources.\(name): \(count - missing + signalling.count) of \(count) received"
                    schedule(&steps, now.addingTimeInterval(timeout), .resource(name, member: nil, status: "UPDATE_FAILED", reason: failure!))
                    finish = max(finish, timeout)
                } else {
                    schedule(&steps, now.addingTimeInterval(done), .resource(name, member: nil, status: "UPDATE_COMPLETE", reason: "state changed"))
                    finish = max(finish, done)
                }
            }
        }
        if let failure {
            schedule(&steps, now.addingTimeInterval(failure.hasPrefix("WaitConditionTimeout") ? finish : 0),
                     .stack(status: "UPDATE_FAILED", reason: "Resource UPDATE failed: \(failure)"))
        } else {
            schedule(&steps, now.addingTimeInterval(finish), .stack(status: "UPDATE_COMPLETE", reason: "Stack UPDATE completed successfully"))
        }
        stack.parameters = merged
        stack.updated = now
        stack.usage = newUsage
        stack.steps = steps.sorted { ($0.due, $0.order) < ($1.due, $1.order) }
    }

    // MARK: - Actions

    func scheduleAction(_ action: String, _ stack: inout SimStack, now: Date) {
        let upper = action.uppercased()
        var steps: [Step] = []
        schedule(&steps, now, .stack(status: "\(upper)_IN_PROGRESS", reason: "Stack \(upper) started"))
        let names = upper == "SUSPEND" ? Array(stack.order.reversed()) : stack.order
        let slice = configuration.timing.action / Double(max(1, names.count))
        for (i, name) in names.enumerated() {
            let t = now.addingTimeInterval(slice * Double(i))
            schedule(&steps, t, .resource(name, member: nil, status: "\(upper)_IN_PROGRESS", reason: "state changed"))
            schedule(&steps, t.addingTimeInterval(slice), .resource(name, member: nil, status: "\(upper)_COMPLETE", reason: "state changed"))
        }
        schedule(&steps, now.addingTimeInterval(configuration.timing.action),
                 .stack(status: "\(upper)_COMPLETE", reason: "Stack \(upper) completed successfully"))
        stack.steps = steps
    }
}
