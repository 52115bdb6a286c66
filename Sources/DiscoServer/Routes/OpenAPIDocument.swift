import DiscoCore
import DiscoOpenStack
import Foundation

/// The OpenAPI 3 description of the REST API, served at `/api/v1/openapi.json`: the paths, methods, parameters and
/// statuses come from the route table's contracts (``DiscoApplication/router``), the request constraints from the
/// validation rules (``ClusterSpec`` patterns, the configured ``SpecLimits``, the component catalog).
struct OpenAPIDocument: Sendable {
    let document: JSONValue

    init(router: Router, limits: SpecLimits, catalog: ComponentCatalog, fallbacks: SpecFallbacks = SpecFallbacks()) {
        var paths: [String: JSONValue] = [:]
        for route in router.routes where route.operations.contains(where: { $0.contract != nil }) {
            var item: [String: JSONValue] = [:]
            let pathParameters: [JSONValue] = route.segments.compactMap { segment in
                guard case let .parameter(name) = segment else { return nil }
                return ["name": .string(name), "in": "path", "required": true, "schema": ["$ref": "#/components/schemas/ClusterID"]]
            }
            if !pathParameters.isEmpty { item["parameters"] = .array(pathParameters) }
            for operation in route.operations {
                guard let contract = operation.contract else { continue }
                item[operation.method.lowercased()] = Self.operation(contract)
            }
            paths[String(route.template.dropFirst("/api/v1".count))] = .object(item)
        }
        var schemas = Self.shapes
        schemas.merge(Self.requestSchemas(limits: limits, catalog: catalog, fallbacks: fallbacks)) { _, derived in derived }
        document = [
            "openapi": "3.0.3",
            "info": [
                "title": "DISCO REST API", "version": .string(DiscoVersion.current),
                "description": "Create, follow, scale, suspend/resume, health-check and delete distributed-computing clusters on OpenStack. Every call except /tokens, /components and /openapi.json needs an X-Auth-Token header (a Keystone token); clusters are scoped to the token's project. Errors are {\"error\": {\"status\", \"message\", \"problems\": [{path, found, problem, accepted}]}}. A method a path does not serve is answered 405 with Allow. On a server listening on loopback, a Host header that names neither a loopback address nor one the operator allows ([service_manager] allowed_hosts) is answered 421 (against DNS rebinding). Component properties marked x-disco-fits-flavor size processes or executors: the nodes' flavors must hold them (else 400 naming the node, its flavor and the need).",
            ],
            "components": [
                "securitySchemes": ["keystone": ["type": "apiKey", "in": "header", "name": "X-Auth-Token"]],
                "schemas": .object(schemas),
                "responses": [
                    "Error": ["description": "An error with its reason",
                              "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                    "TooManyRequests": ["description": .string(Self.tooManyRequests),
                                        "headers": ["Retry-After": ["description": "Seconds to wait before trying again",
                                                                    "schema": ["type": "integer"]]],
                                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]],
                                                    "text/plain": ["schema": ["type": "string"]]]],
                ],
            ],
            "security": [["keystone": []]],
            "paths": .object(paths),
        ]
    }

    private static let tooManyRequests = "Too many refused tokens or failed sign-ins from this address, or creates from this "
        + "project (JSON, with Retry-After), "
        + "or too many connections from it (plain text; the connection is closed)"

    /// The document as JSON text, with `serverURL` (the API's base, as the client sees it) as its server.
    func json(serverURL: String) -> String {
        guard case var .object(fields) = document else { return document.jsonText }
        fields["servers"] = [["url": .string(serverURL)]]
        return JSONValue.object(fields).jsonText
    }

    private static func operation(_ contract: OperationContract) -> JSONValue {
        var fields: [String: JSONValue] = ["operationId": .string(contract.operationID), "summary": .string(contract.summary)]
        if let description = contract.description { fields["description"] = .string(description) }
        if !contract.authenticated { fields["security"] = [] }
        if !contract.parameters.isEmpty {
            fields["parameters"] = .array(contract.parameters.map { parameter in
                var fields: [String: JSONValue] = ["name": .string(parameter.name), "in": "query",
                                                   "description": .string(parameter.description), "schema": parameter.schema]
                if parameter.commaSeparated {
                    fields["style"] = "form"
                    fields["explode"] = false
                }
                return .object(fields)
            })
        }
        if let body = contract.requestBody {
            fields["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
        }
        var success: [String: JSONValue] = ["description": .string(contract.success.description),
                                            "content": .object([contract.success.mediaType: ["schema": contract.success.schema]])]
        if !contract.success.headers.isEmpty {
            success["headers"] = .object(contract.success.headers.mapValues { ["description": .string($0), "schema": ["type": "string"]] })
        }
        if !contract.success.linksToIDOperations.isEmpty {
            success["links"] = .object(Dictionary(uniqueKeysWithValues: contract.success.linksToIDOperations.map { operationID in
                (operationID, ["operationId": .string(operationID), "parameters": ["id": "$response.body#/id"]] as JSONValue)
            }))
        }
        var responses: [String: JSONValue] = [String(contract.success.status): .object(success)]
        for status in contract.allErrors { responses[String(status)] = ["$ref": "#/components/responses/Error"] }
        // Any request may come from an address over the connection limit (or, with a token, the refusal limit).
        responses["429"] = ["$ref": "#/components/responses/TooManyRequests"]
        fields["responses"] = .object(responses)
        return .object(fields)
    }

    /// A node's image and flavor: each required unless it has a default (`(name, default)`), else left out means `leftOut`.
    static func nodeSchema(required: [(String, String?)], reference: JSONValue, leftOut: String) -> JSONValue {
        let defaults = Dictionary(uniqueKeysWithValues: required)
        let mandatory = required.filter { $0.1 == nil }.map { JSONValue.string($0.0) }
        var schema: [String: JSONValue] = [
            "type": "object", "additionalProperties": false,
            "properties": ["image": withDefault(reference, defaults["image"] ?? nil), "flavor": withDefault(reference, defaults["flavor"] ?? nil)],
            "description": .string("Image and flavor; a field left out is \(leftOut)"),
        ]
        if !mandatory.isEmpty { schema["required"] = .array(mandatory) }
        return .object(schema)
    }

    static func withDefault(_ schema: JSONValue, _ value: String?) -> JSONValue {
        guard let value, case var .object(fields) = schema else { return schema }
        fields["default"] = .string(value)
        return .object(fields)
    }

    /// What an IPv4 or IPv6 network in CIDR notation looks like (the server checks the values themselves).
    static let cidrPattern = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?|[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?)$"

    /// `{"<key>": [...]}` of inventory items (id and name, and what else the cloud says).
    static func inventoryList(_ key: String) -> JSONValue {
        ["type": "object", "required": [.string(key)], "properties": [
            .init(stringLiteral: key): ["type": "array", "items": ["type": "object", "required": ["id", "name"],
                                                                   "properties": ["id": ["type": "string"], "name": ["type": "string"]]]],
        ]]
    }

    /// Schemas of request bodies and parameters, from the rules the server checks them with.
    static func requestSchemas(limits: SpecLimits, catalog: ComponentCatalog, fallbacks: SpecFallbacks) -> [String: JSONValue] {
        let reference: JSONValue = ["type": "string", "pattern": .string(ClusterSpec.referencePattern.source)]
        var components: [String: JSONValue] = [:]
        var conflicts: [JSONValue] = []
        for name in catalog.names {
            guard let manifest = catalog[name]?.manifest else { continue }
            var properties: [String: JSONValue] = [:]
            // Values the planner checks against the nodes' flavors (memory per process, Spark executors): a schema
            // cannot say whether they fit, so the document marks them.
            var fitsFlavor = Set(manifest.memory.compactMap(\.property))
            if name == "spark" { fitsFlavor.formUnion([SparkSizing.executorMemoryProperty, SparkSizing.executorCoresProperty]) }
            for (key, definition) in manifest.properties {
                var rules: [JSONValue] = []
                if let pattern = definition.pattern { rules.append(["pattern": .string(pattern)]) }
                switch definition.type {
                case .integer: rules.append(["pattern": "^[0-9]{1,18}$"])
                case .boolean: rules.append(["enum": ["true", "false"]])
                case .string: break
                }
                if definition.isSecret { rules.append(["pattern": .string(PropertyDefinition.secretPattern.source)]) }
                var schema: [String: JSONValue] = ["type": "string", "description": .string(definition.summary)]
                if rules.count == 1, case let .object(only) = rules[0] { schema.merge(only) { a, _ in a } } else if !rules.isEmpty { schema["allOf"] = .array(rules) }
                if fitsFlavor.contains(key) { schema["x-disco-fits-flavor"] = true }
                properties[key] = .object(schema)
            }
            var schema: [String: JSONValue] = ["type": "object", "additionalProperties": false, "properties": .object(properties),
                                               "description": .string(manifest.summary)]
            let required = manifest.properties.filter { $0.value.isRequired && $0.value.defaultValue == nil }.keys.sorted()
            if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
            components[name] = .object(schema)
            for other in manifest.conflicts where name < other {
                conflicts.append(["not": ["required": [.string(name), .string(other)]]])
            }
        }
        var componentsSchema: [String: JSONValue] = ["type": "object", "additionalProperties": false, "properties": .object(components),
                                                     "description": "Components to install and their properties; dependencies are added"]
        if !conflicts.isEmpty { componentsSchema["allOf"] = .array(conflicts) }
        return [
            "ClusterID": ["type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"],
            "ClusterState": ["type": "string", "enum": .array(ClusterState.allCases.map { .string($0.rawValue) })],
            "NodeSpec": nodeSchema(required: [("image", fallbacks.image), ("flavor", fallbacks.flavor)],
                                   reference: reference, leftOut: "the server's default"),
            "WorkerSpec": nodeSchema(required: [], reference: reference, leftOut: "the master's"),
            "ClusterSpec": ["type": "object", "additionalProperties": false,
                            "required": .array((["name", "master", "workers"] + (fallbacks.externalNetwork == nil ? ["externalNetwork"] : [])).map { .string($0) }),
                            "properties": [
                "name": ["type": "string", "pattern": .string(ClusterSpec.namePattern.source), "maxLength": .int(ClusterSpec.maxNameLength)],
                "master": ["$ref": "#/components/schemas/NodeSpec"],
                "worker": ["$ref": "#/components/schemas/WorkerSpec"],
                "workers": ["type": "integer", "minimum": 0, "maximum": .int(limits.maxWorkers)],
                "network": ["type": "string", "pattern": .string(ClusterSpec.networkPattern.source)],
                "externalNetwork": withDefault(reference, fallbacks.externalNetwork),
                "components": .object(componentsSchema),
                "ttlSeconds": ["type": "integer", "minimum": .int(limits.minTTLSeconds), "maximum": .int(limits.maxTTLSeconds)],
                "tags": ["type": "array", "maxItems": .int(limits.maxTags), "items": ["type": "string", "pattern": .string(ClusterSpec.tagPattern.source)]],
                "allowedSources": ["type": "array", "minItems": 1, "maxItems": .int(ClusterSpec.maxAllowedSources),
                                   "items": ["type": "string", "pattern": .string(Self.cidrPattern), "maxLength": 49],
                                   "description": "Networks (CIDR) allowed to reach the public ports and ping the cluster; left out: the operator's allowed_sources"],
            ]],
            "ClusterAction": ["oneOf": [
                ["type": "object", "additionalProperties": false, "required": ["action"],
                 "properties": ["action": ["type": "string", "enum": ["suspend", "resume", "check"]]]],
                ["type": "object", "additionalProperties": false, "required": ["action", "workers"],
                 "properties": ["action": ["type": "string", "enum": ["scale"]],
                                "workers": ["type": "integer", "minimum": 0, "maximum": .int(limits.maxWorkers)]]],
            ]],
            "Credentials": ["type": "object", "additionalProperties": false, "required": ["username", "password"], "properties": [
                "username": ["type": "string"], "password": ["type": "string"], "project": ["type": "string"], "domain": ["type": "string"],
            ]],
        ]
    }

    /// Schemas of the answers (the views the server encodes).
    static let shapes: [String: JSONValue] = {
        guard case let .object(shapes)? = try? JSONValue.parse(shapesText) else { preconditionFailure("the response schemas are not JSON") }
        return shapes
    }()

    private static let shapesText = #"""
    {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "message", "problems"], "properties": {
            "status": {"type": "integer"}, "message": {"type": "string"},
            "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}}}}},
          "Problem": {"type": "object", "required": ["path", "problem", "accepted"], "properties": {
            "path": {"type": "string"}, "found": {"type": "string"}, "problem": {"type": "string"}, "accepted": {"type": "string"}}},
          "Cluster": {"type": "object", "required": ["id", "name", "state", "stateReason", "progress", "workers", "components", "ui", "createdAt"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"},
            "state": {"type": "string", "enum": ["accepted", "provisioning", "installing", "ready", "scaling", "suspending", "suspended", "resuming", "deleting", "deleted", "failed"]},
            "stateReason": {"type": "string"}, "progress": {"type": "integer"}, "workers": {"type": "integer"}, "desiredWorkers": {"type": "integer"},
            "master": {"$ref": "#/components/schemas/NodeSpec"}, "worker": {"$ref": "#/components/schemas/NodeSpec"},
            "network": {"type": "string"}, "externalNetwork": {"type": "string"},
            "components": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "reason": {"type": "string"}, "state": {"type": "string", "enum": ["pending", "installing", "ready", "failed"]}, "detail": {"type": "string"}, "properties": {"type": "object", "additionalProperties": {"type": "string"}}}}},
            "externalIP": {"type": "string"}, "masterAddress": {"type": "string"}, "sshKeyName": {"type": "string"}, "loginUser": {"type": "string"}, "sshPublicKey": {"type": "string"},
            "statusPage": {"type": "string"},
            "ui": {"type": "array", "items": {"type": "object", "properties": {"component": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}, "port": {"type": "integer"}, "isPublic": {"type": "boolean"}}}},
            "stackName": {"type": "string"}, "stackID": {"type": "string"}, "stackStatus": {"type": "string"}, "stackStatusReason": {"type": "string"},
            "totals": {"$ref": "#/components/schemas/Totals"}, "tags": {"type": "array", "items": {"type": "string"}},
            "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
            "expiresAt": {"type": "string", "format": "date-time"}, "lastEvent": {"type": "string"},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/Phase"}},
            "health": {"$ref": "#/components/schemas/ClusterHealth"}}},
          "Phase": {"type": "object", "description": "A step of the create, seconds after the request", "properties": {"phase": {"type": "string", "enum": ["validated", "inventory_checked", "keys_made", "credential_made", "stack_created", "servers_active", "component_signalled", "ready"]}, "component": {"type": "string"}, "seconds": {"type": "number"}}},
          "ClusterHealth": {"type": "object", "description": "The health monitor's last judgement of a ready cluster, from the health document its master publishes; absent before the first check and in other states.", "required": ["status", "reasons", "checkedAt", "nodes", "failedReads"], "properties": {
            "status": {"type": "string", "enum": \#(healthStatuses), "description": "green: all well; yellow: degraded but usable (e.g. a worker's daemon down); red: a master daemon or probe down, or the document unreadable for several checks"},
            "reasons": {"type": "array", "description": "Why it is not green, worst first", "items": {"$ref": "#/components/schemas/HealthReason"}},
            "checkedAt": {"type": "string", "format": "date-time", "description": "When DISCO last read (or tried to read) the document"},
            "reportedAt": {"type": "string", "format": "date-time", "description": "When the master's gatherer wrote the document"},
            "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/NodeHealth"}},
            "failedReads": {"type": "integer", "description": "Reads of the document that failed in a row"}}},
          "HealthReason": {"type": "object", "required": ["severity", "message"], "properties": {
            "severity": {"type": "string", "enum": \#(healthStatuses)}, "component": {"type": "string"}, "daemon": {"type": "string"},
            "node": {"type": "string", "description": "master or worker<index>"}, "message": {"type": "string"}}},
          "NodeHealth": {"type": "object", "required": ["name", "role", "address", "status", "reachable", "daemons"], "properties": {
            "name": {"type": "string", "description": "master or worker<index>"}, "role": {"type": "string", "enum": ["master", "worker"]},
            "address": {"type": "string"}, "status": {"type": "string", "enum": \#(healthStatuses)},
            "reachable": {"type": "boolean", "description": "Whether the master could read the node's report"},
            "checkedAt": {"type": "string", "format": "date-time"},
            "daemons": {"type": "array", "items": {"$ref": "#/components/schemas/DaemonHealth"}},
            "diskFreePercent": {"type": "integer"}, "diskFreeBytes": {"type": "integer", "format": "int64"},
            "memoryAvailablePercent": {"type": "integer"}}},
          "DaemonHealth": {"type": "object", "required": ["component", "unit", "state"], "properties": {
            "component": {"type": "string"}, "unit": {"type": "string", "description": "The systemd unit, without .service"},
            "state": {"type": "string", "description": "active, activating, failed, inactive…, or missing when the node has no such unit"}}},
          "Totals": {"type": "object", "properties": {"instances": {"type": "integer"}, "vcpus": {"type": "integer"}, "ramMB": {"type": "integer"}, "diskGB": {"type": "integer"}, "floatingIPs": {"type": "integer"}, "networks": {"type": "integer"}, "routers": {"type": "integer"}, "securityGroups": {"type": "integer"}}},
          "Event": {"type": "object", "properties": {"time": {"type": "string", "format": "date-time"}, "state": {"type": "string"}, "message": {"type": "string"}}},
      "Token": {"type": "object", "required": ["token", "expiresAt", "project", "projectID", "user"], "properties": {"token": {"type": "string"}, "expiresAt": {"type": "string", "format": "date-time"}, "project": {"type": "string"}, "projectID": {"type": "string"}, "user": {"type": "string"}}},
      "ComponentList": {"type": "object", "required": ["components"], "properties": {"components": {"type": "array", "items": {"type": "object", "required": ["name", "version"], "properties": {"name": {"type": "string"}, "version": {"type": "string"}}}}}},
      "ClusterList": {"type": "object", "required": ["clusters"], "properties": {"clusters": {"type": "array", "items": {"$ref": "#/components/schemas/Cluster"}}, "next": {"type": "string"}}},
      "GeneratedPasswords": {"type": "object", "required": ["passwords"], "properties": {"passwords": {"type": "object", "additionalProperties": {"type": "string"}}}},
      "EventList": {"type": "object", "required": ["events"], "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}, "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/Phase"}}}},
      "Plan": {"type": "object", "required": ["plan", "template", "format"], "properties": {
        "plan": {"type": "object", "required": ["name", "stackName", "workers", "components", "totals"], "properties": {
          "name": {"type": "string"}, "stackName": {"type": "string"}, "workers": {"type": "integer"},
          "components": {"type": "array", "items": {"type": "object", "required": ["name", "version", "reason"], "properties": {
            "name": {"type": "string"}, "version": {"type": "string"},
            "reason": {"type": "string", "enum": ["requested", "implicit", "requiredBy"]},
            "requiredBy": {"type": "array", "items": {"type": "string"}},
            "properties": {"type": "object", "additionalProperties": {"type": "string"}}}}},
          "totals": {"$ref": "#/components/schemas/Totals"}}},
        "template": {"type": "string"}, "format": {"type": "string", "enum": ["yaml", "json"]}}}
    }
    """#

    /// The health statuses, as a JSON array.
    private static var healthStatuses: String {
        "[" + ClusterHealth.Status.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]"
    }
}
