import DiscoCore
import Foundation

// The Heat v1 HTTP API of the simulated cloud.
extension SimulatedCloud {
    func heat(_ request: HTTPRequest, path: String, query: [String: String], token: Token) -> HTTPResponse {
        // path: /v1/{project_id}/…
        let parts = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        guard parts.count >= 2, parts[0] == "v1" else { return Self.heatError(404, type: "NotFound", message: "The resource could not be found.") }
        guard parts[1] == token.projectID else {
            return Self.heatError(403, type: "Forbidden", message: "Nova or Heat: the project in the URL does not match the token's project")
        }
        let rest = Array(parts.dropFirst(2))
        let body = (try? JSONValue.parse(request.body)) ?? .null
        let now = clock.now()
        let user = knownUser(id: token.userID)
        let base = host + "/heat/v1/\(token.projectID)"
        do {
            switch (request.method, rest.count, rest.first) {
            case ("POST", 1, "validate"):
                return Self.json(200, try validate(body))
            case ("POST", 1, "stacks"):
                return try create(body, token: token, owner: user?.name ?? "", now: now, base: base)
            case ("POST", 2, "stacks") where rest[1] == "preview":
                return Self.json(200, ["stack": try preview(body, token: token, owner: user?.name ?? "", now: now)])
            case ("GET", 1, "stacks"):
                var stacks = live(token.projectID)
                if let tags = query["tags"] {
                    let wanted = Set(tags.split(separator: ",").map(String.init))
                    stacks = stacks.filter { wanted.isSubset(of: Set($0.tags)) }
                }
                if let tags = query["tags_any"] {
                    let wanted = Set(tags.split(separator: ",").map(String.init))
                    stacks = stacks.filter { !wanted.isDisjoint(with: Set($0.tags)) }
                }
                if let name = query["name"] { stacks = stacks.filter { $0.name == name } }
                return Self.json(200, ["stacks": .array(stacks.sorted { $0.created < $1.created }.map { render($0, base: base, full: false) })])
            case ("GET", 2, "stacks"):
                guard let stack = find(rest[1], project: token.projectID) else { throw notFound(rest[1]) }
                return HTTPResponse(status: 302, headers: [("Location", "\(base)/stacks/\(stack.name)/\(stack.id)"),
                                                           ("Content-Type", "application/json")],
                                    body: JSONValue.object(["explanation": .string("The resource was found at \(base)/stacks/\(stack.name)/\(stack.id)")]).data())
            default:
                break
            }
            guard rest.count >= 3, rest[0] == "stacks" else {
                throw HeatFailure(status: 404, type: "NotFound", message: "The resource could not be found.")
            }
            if request.method == "POST", rest.count == 6, rest[3] == "resources", rest[5] == "signal" {
                return try signal(stack: rest[2], name: rest[1], handle: rest[4], body: body, token: token, now: now)
            }
            guard let found = find(rest[2], project: token.projectID), found.name == rest[1] || found.id == rest[1] else {
                throw notFound(rest[1])
            }
            let id = found.id
            switch (request.method, Array(rest.dropFirst(3))) {
            case ("GET", []):
                return Self.json(200, ["stack": render(found, base: base, full: true, outputs: query["resolve_outputs"] != "false")])
            case ("PATCH", []), ("PUT", []):
                guard !found.isInProgress else { throw inProgress(found) }
                var stack = found
                let parameters = (body["parameters"]?.objectValue ?? [:]).mapValues(\.textValue)
                try scheduleUpdate(&stack, parameters: parameters, now: now)
                state.stacks[id] = stack
                advance(id, now: now)
                return HTTPResponse(status: 202)
            case ("DELETE", []):
                var stack = found
                if stack.status == "DELETE_IN_PROGRESS" { return HTTPResponse(status: 204) }
                // Heat deletes the stack's trust too; when Keystone refuses the token that, the trust is left behind.
                if mayManageTrusts(token) { state.trusts[id] = nil }
                scheduleDelete(&stack, now: now)
                state.stacks[id] = stack
                advance(id, now: now)
                return HTTPResponse(status: 204)
            case ("POST", ["actions"]):
                guard let action = body.objectValue?.keys.first, ["suspend", "resume", "check", "cancel_update"].contains(action) else {
                    throw HeatFailure(status: 400, type: "HTTPBadRequest", message: "Invalid action \(body.jsonText)")
                }
                guard !found.isInProgress else { throw inProgress(found) }
                var stack = found
                if action == "cancel_update" { return HTTPResponse(status: 200) }
                scheduleAction(action, &stack, now: now)
                state.stacks[id] = stack
                advance(id, now: now)
                return HTTPResponse(status: 200)
            case ("GET", ["events"]):
                return Self.json(200, ["events": .array(try events(found, query: query, base: base))])
            case ("GET", ["outputs"]):
                let outputs = found.template["outputs"]?.objectValue ?? [:]
                return Self.json(200, ["outputs": .array(outputs.keys.sorted().map {
                    ["output_key": .string($0), "description": outputs[$0]?["description"] ?? "No description given"]
                })])
            case ("GET", let tail) where tail.count == 2 && tail[0] == "outputs":
                guard let output = resolvedOutputs(found).first(where: { $0["output_key"]?.stringValue == tail[1] }) else {
                    throw HeatFailure(status: 404, type: "NotFound", message: "Specified output key \(tail[1]) not found.")
                }
                return Self.json(200, ["output": output])
            case ("GET", ["resources"]):
                return Self.json(200, ["resources": .array(found.order.compactMap { found.resources[$0] }.map {
                    ["resource_name": .string($0.name), "resource_type": .string($0.type), "resource_status": .string($0.status),
                     "resource_status_reason": .string($0.statusReason), "physical_resource_id": .string($0.physicalID),
                     "logical_resource_id": .string($0.name), "required_by": [],
                     "updated_time": .string(OpenStackDate.heat(found.updated ?? found.created))]
                })])
            case ("GET", let tail) where tail.count == 2 && tail[0] == "resources":
                guard let resource = found.resources[tail[1]] else {
                    throw HeatFailure(status: 404, type: "EntityNotFound", message: "The Resource (\(tail[1])) could not be found.")
                }
                let attributes = resource.isCreated ? resource.attributes : resource.attributes.mapValues { _ in JSONValue.null }
                return Self.json(200, ["resource": [
                    "resource_name": .string(resource.name), "resource_type": .string(resource.type),
                    "resource_status": .string(resource.status), "resource_status_reason": .string(resource.statusReason),
                    "physical_resource_id": .string(resource.physicalID), "logical_resource_id": .string(resource.name),
                    "attributes": .object(attributes), "metadata": resource.metadata.isNull ? .object([:]) : resource.metadata,
                ]])
            case ("GET", ["template"]):
                return Self.json(200, found.template)
            default:
                throw HeatFailure(status: 404, type: "NotFound", message: "The resource could not be found.")
            }
        } catch let failure as HeatFailure {
            return Self.heatError(failure.status, type: failure.type, message: failure.message)
        } catch {
            return Self.heatError(500, type: "InternalError", message: "\(error)")
        }
    }

    /// `POST …/resources/{handle}/signal`, as HEAT_SIGNAL credentials send it: the token must be the handle's own
    /// user's (scoped to the stack user project of the URL) or one of the stack's project.
    private func signal(stack id: String, name: String, handle: String, body: JSONValue, token: Token, now: Date) throws -> HTTPResponse {
        guard var stack = state.stacks[id] ?? state.stacks.values.first(where: { $0.name == name && !$0.isPurged }),
              !stack.isPurged, stack.name == name || stack.id == name,
              [stack.projectID, Self.stackUserProject(stack.id)].contains(token.projectID) else {
            throw notFound(name)
        }
        guard let resource = stack.resources[handle], Self.handleTypes.contains(resource.type) else {
            throw HeatFailure(status: 404, type: "EntityNotFound", message: "The Resource (\(handle)) could not be found.")
        }
        if token.projectID != stack.projectID {
            let credentials = (try? JSONValue.parse(Data((resource.attributes["signal"]?.stringValue ?? "").utf8))) ?? .null
            guard credentials["user_id"]?.stringValue == token.userID else {
                throw HeatFailure(status: 403, type: "Forbidden", message: "You are not authorized to signal \(handle) of \(stack.name).")
            }
        }
        guard resource.isCreated else {
            throw HeatFailure(status: 400, type: "ResourceFailure", message: "The resource \(handle) is not ready to be signalled.")
        }
        let status = body["status"]?.stringValue ?? "SUCCESS"
        guard ["SUCCESS", "FAILURE"].contains(status) else {
            throw HeatFailure(status: 400, type: "ValueError", message: "Metadata format invalid: status must be SUCCESS or FAILURE")
        }
        let waits = stack.resources.values.filter { $0.type == Self.waitType && $0.properties["handle"]?.stringValue == resource.physicalID }
        let signalID = body["id"]?.textValue ?? String((stack.signals[waits.first?.name ?? ""]?.count ?? 0) + 1)
        for wait in waits {
            stack.signals[wait.name, default: []].append((signalID, body["data"]?.textValue ?? ""))
        }
        stack.events.append(SimEvent(id: Self.uuid(), time: now, resourceName: handle, physicalID: resource.physicalID,
                                     status: "SIGNAL_COMPLETE",
                                     reason: "Signal: status:\(status) reason:\(body["reason"]?.textValue ?? "Signal \(signalID) received")",
                                     resourceType: resource.type))
        state.stacks[stack.id] = stack
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data())
    }

    private func notFound(_ name: String) -> HeatFailure {
        HeatFailure(status: 404, type: "EntityNotFound", message: "The Stack (\(name)) could not be found.")
    }

    private func inProgress(_ stack: SimStack) -> HeatFailure {
        HeatFailure(status: 409, type: "ActionInProgress",
                    message: "Stack \(stack.name) already has an action (\(stack.status.replacingOccurrences(of: "_IN_PROGRESS", with: ""))) in progress.")
    }

    func live(_ projectID: String) -> [SimStack] {
        state.stacks.values.filter { !$0.isPurged && $0.projectID == projectID }
    }

    func find(_ nameOrID: String, project: String) -> SimStack? {
        live(project).first { $0.id == nameOrID } ?? live(project).first { $0.name == nameOrID }
    }

    private static let stackName = try? NSRegularExpression(pattern: "^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$")

    private func template(from body: JSONValue) throws -> JSONValue {
        switch body["template"] {
        case .object?: return body["template"]!
        case .string(let text)?:
            if let parsed = try? JSONValue.parse(text), parsed.objectValue != nil { return parsed }
            throw HeatFailure(status: 400, type: "HTTPBadRequest",
                              message: "The simulated cloud accepts templates as JSON only (YAML is not parsed).")
        default:
            throw HeatFailure(status: 400, type: "HTTPBadRequest", message: "Need more arguments: 'template' or 'template_url'")
        }
    }

    private func newStack(_ body: JSONValue, token: Token, owner: String, now: Date) throws -> SimStack {
        let name = body["stack_name"]?.stringValue ?? ""
        let range = NSRange(name.startIndex..<name.endIndex, in: name)
        guard Self.stackName?.firstMatch(in: name, range: range) != nil else {
            throw HeatFailure(status: 400, type: "StackValidationFailed",
                              message: "Invalid stack name \(name) must contain only alphanumeric or \"_-.\" characters, must start with alpha and must be 255 characters or less.")
        }
        let tags: [String]
        switch body["tags"] {
        case .string(let text)?: tags = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .array(let items)?: tags = items.compactMap(\.stringValue)
        default: tags = []
        }
        return SimStack(id: Self.uuid(), name: name, projectID: token.projectID, owner: owner, tags: tags,
                        template: try template(from: body),
                        parameters: (body["parameters"]?.objectValue ?? [:]).mapValues(\.textValue), created: now,
                        disableRollback: body["disable_rollback"]?.boolValue ?? true,
                        timeoutMinutes: body["timeout_mins"]?.intValue)
    }

    private func create(_ body: JSONValue, token: Token, owner: String, now: Date, base: String) throws -> HTTPResponse {
        if let reject = state.faults.rejectCreate {
            state.faults.rejectCreate = nil
            throw HeatFailure(status: reject.status, type: "OverLimit", message: reject.message)
        }
        var stack = try newStack(body, token: token, owner: owner, now: now)
        if live(token.projectID).contains(where: { $0.name == stack.name }) {
            throw HeatFailure(status: 409, type: "StackExists", message: "The Stack (\(stack.name)) already exists.")
        }
        _ = try plan(&stack)
        // Heat makes a trust from the caller to itself (deferred_auth_method = trusts), which Keystone may refuse.
        guard mayManageTrusts(token) else {
            throw HeatFailure(status: 500, type: "Forbidden",
                              message: "You are not authorized to perform the requested action: Delegated tokens cannot manage trusts. (HTTP 403)")
        }
        state.trusts[stack.id] = token.userID
        scheduleCreate(&stack, now: now)
        state.stacks[stack.id] = stack
        advance(stack.id, now: now)
        return Self.json(201, ["stack": ["id": .string(stack.id),
                                         "links": [["href": .string("\(base)/stacks/\(stack.name)/\(stack.id)"), "rel": "self"]]]])
    }

    private func preview(_ body: JSONValue, token: Token, owner: String, now: Date) throws -> JSONValue {
        var stack = try newStack(body, token: token, owner: owner, now: now)
        stack.id = "None"
        _ = try plan(&stack)
        var rendered = render(stack, base: "", full: false).objectValue ?? [:]
        rendered["resources"] = .array(stack.order.compactMap { stack.resources[$0] }.map {
            ["resource_name": .string($0.name), "resource_type": .string($0.type), "resource_action": "INIT",
             "resource_status": "COMPLETE", "physical_resource_id": "", "properties": $0.properties,
             "metadata": $0.metadata.isNull ? .object([:]) : $0.metadata]
        })
        rendered["stack_status"] = nil
        return .object(rendered)
    }

    private func validate(_ body: JSONValue) throws -> JSONValue {
        let template = try template(from: body)
        guard template["heat_template_version"] != nil else {
            throw HeatFailure(status: 400, type: "InvalidTemplateVersion", message: "The template version is invalid: Template version was not provided")
        }
        let definitions = template["resources"]?.objectValue ?? [:]
        let parameterNames = Set((template["parameters"]?.objectValue ?? [:]).keys).union(["OS::stack_name", "OS::stack_id", "OS::project_id"])
        _ = try dependencyOrder(definitions, parameterNames: parameterNames)
        var parameters: [String: JSONValue] = [:]
        for (name, definition) in template["parameters"]?.objectValue ?? [:] {
            let type = definition["type"]?.stringValue ?? "string"
            var entry: [String: JSONValue] = ["Type": .string(type == "number" ? "Number" : type == "json" ? "Json" : type == "boolean" ? "Boolean" : type == "comma_delimited_list" ? "CommaDelimitedList" : "String"),
                                              "Label": .string(definition["label"]?.stringValue ?? name),
                                              "Description": .string(definition["description"]?.stringValue ?? ""),
                                              "NoEcho": .string(definition["hidden"]?.boolValue == true ? "true" : "false")]
            if let value = definition["default"] { entry["Default"] = value }
            parameters[name] = .object(entry)
        }
        return ["Description": .string(template["description"]?.stringValue ?? "No description"),
                "Parameters": .object(parameters), "ParameterGroups": [],
                "Environment": ["parameters": [:], "resource_registry": ["resources": [:]], "parameter_defaults": [:],
                                "event_sinks": [], "encrypted_param_names": []]]
    }

    func resolvedOutputs(_ stack: SimStack) -> [JSONValue] {
        let parameters = (try? typedParameters(stack.template, given: stack.parameters, stack: stack)) ?? [:]
        let resolver = resolver(for: stack, parameters: parameters, createdOnly: true)
        let outputs = stack.template["outputs"]?.objectValue ?? [:]
        return outputs.keys.sorted().map { key in
            let value = resolver.resolve(outputs[key]?["value"] ?? .null)
            return ["output_key": .string(key), "output_value": Self.containsNull(value) ? .null : value,
                    "description": outputs[key]?["description"] ?? "No description given"]
        }
    }

    /// Whether a resolved value still misses something (an attribute of a resource not yet created).
    static func containsNull(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .object(let object): object.values.contains(where: containsNull) && !object.isEmpty && object.values.allSatisfy(\.isNull)
        default: false
        }
    }

    /// A stack as Heat shows it: `full` for a show (a listing has no parameters or outputs), `outputs: false` for a
    /// show with `resolve_outputs=false`.
    func render(_ stack: SimStack, base: String, full: Bool, outputs: Bool = true) -> JSONValue {
        var body: [String: JSONValue] = [
            "id": .string(stack.id), "stack_name": .string(stack.name), "stack_status": .string(stack.status),
            "stack_status_reason": .string(stack.reason), "creation_time": .string(OpenStackDate.heat(stack.created)),
            "updated_time": stack.updated.map { .string(OpenStackDate.heat($0)) } ?? nil, "deletion_time": nil,
            "description": .string(stack.template["description"]?.stringValue ?? "No description"),
            "stack_owner": .string(stack.owner), "stack_user_project_id": .string(stack.projectID),
            "project": .string(stack.projectID), "parent": nil,
            "tags": stack.tags.isEmpty ? nil : .array(stack.tags.map(JSONValue.string)),
            "links": [["href": .string("\(base)/stacks/\(stack.name)/\(stack.id)"), "rel": "self"]],
        ]
        if full {
            var parameters = stack.parameters.mapValues(JSONValue.string)
            for (name, definition) in stack.template["parameters"]?.objectValue ?? [:] where parameters[name] == nil {
                parameters[name] = .string(definition["default"]?.textValue ?? "")
            }
            parameters["OS::stack_name"] = .string(stack.name)
            parameters["OS::stack_id"] = .string(stack.id)
            parameters["OS::project_id"] = .string(stack.projectID)
            body["parameters"] = .object(parameters)
            if outputs { body["outputs"] = .array(resolvedOutputs(stack)) }
            body["disable_rollback"] = .bool(stack.disableRollback)
            body["timeout_mins"] = stack.timeoutMinutes.map(JSONValue.int) ?? nil
            body["capabilities"] = []
            body["notification_topics"] = []
            body["template_description"] = body["description"]
        }
        return .object(body)
    }

    private func events(_ stack: SimStack, query: [String: String], base: String) throws -> [JSONValue] {
        var events = stack.events
        if let name = query["resource_name"] { events = events.filter { $0.resourceName == name } }
        if query["sort_dir"] == "desc" { events.reverse() }
        if let marker = query["marker"] {
            guard let index = events.firstIndex(where: { $0.id == marker }) else {
                throw HeatFailure(status: 404, type: "EntityNotFound", message: "The Event (\(marker)) could not be found.")
            }
            events = Array(events[(index + 1)...])
        }
        if let limit = query["limit"].flatMap(Int.init) { events = Array(events.prefix(max(0, limit))) }
        let stackURL = "\(base)/stacks/\(stack.name)/\(stack.id)"
        return events.map { event in
            ["id": .string(event.id), "event_time": .string(OpenStackDate.heat(event.time)),
             "resource_name": .string(event.resourceName), "logical_resource_id": .string(event.resourceName),
             "physical_resource_id": .string(event.physicalID), "resource_status": .string(event.status),
             "resource_status_reason": .string(event.reason),
             "links": [["href": .string("\(stackURL)/resources/\(event.resourceName)/events/\(event.id)"), "rel": "self"],
                       ["href": .string("\(stackURL)/resources/\(event.resourceName)"), "rel": "resource"],
                       ["href": .string(stackURL), "rel": "stack"]]]
        }
    }
}
