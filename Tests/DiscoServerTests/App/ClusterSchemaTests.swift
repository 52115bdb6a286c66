import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// The OpenAPI document's Cluster schema against what the REST API sends: every field of a checked cluster (health
/// with reasons and nodes included) is described, with its type and, for enums, its value.
@Suite struct ClusterSchemaTests {
    /// The problems of `value` against `schema` (following `$ref`s into `schemas`), each with its JSON path.
    static func problems(_ value: JSONValue, _ schema: JSONValue, schemas: JSONValue, at path: String) -> [String] {
        if let reference = schema["$ref"]?.stringValue {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schemas[name] else { return ["\(path): \(reference) is not a schema"] }
            return problems(value, target, schemas: schemas, at: path)
        }
        if let allowed = schema["enum"]?.arrayValue, case .string(let text) = value, !allowed.contains(value) {
            return ["\(path): '\(text)' is not in the enum \(JSONValue.array(allowed))"]
        }
        switch (schema["type"]?.stringValue, value) {
        case ("object", .object(let object)):
            let properties = schema["properties"]
            var found: [String] = []
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                found.append("\(path).\(key): required but not sent")
            }
            for (key, field) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties?[key] {
                    found += problems(field, property, schemas: schemas, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    found += problems(field, additional, schemas: schemas, at: "\(path).\(key)")
                } else if properties != nil {
                    found.append("\(path).\(key): sent but not in the schema")
                }
            }
            return found
        case ("array", .array(let array)):
            guard let items = schema["items"] else { return [] }
            return array.enumerated().flatMap { problems($1, items, schemas: schemas, at: "\(path)[\($0)]") }
        case ("string", .string), ("integer", .int), ("boolean", .bool), ("number", .int), ("number", .double), (nil, _):
            return []
        case (let type?, _):
            return ["\(path): \(value) is not of type \(type)"]
        }
    }

    @Test func aCheckedClusterWithAWorkerDaemonDownMatchesTheClusterSchema() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let (token, _, id, stack) = try await t.readyCluster(spec: ClusterHealthTests.spec)
        t.simulator.stopDaemon("hadoop-datanode", on: "worker1", ofStack: stack)
        let checked = await t.request("POST", "/api/v1/clusters/\(id)/actions", headers: [("X-Auth-Token", token)],
                                      body: #"{"action":"check"}"#)
        #expect(checked.status == 202, "\(checked.text)")
        let cluster = try checked.json()
        let health = try #require(cluster["health"] as? [String: Any])
        #expect(health["status"] as? String == "yellow")
        #expect((health["reasons"] as? [[String: Any]])?.first?["daemon"] as? String == "hadoop-datanode")

        let document = try JSONValue.parse(await t.request("GET", "/api/v1/openapi.json").body)
        let schemas = try #require(document["components"]?["schemas"])
        let schema = try #require(schemas["Cluster"])
        #expect(Self.problems(try JSONValue.parse(checked.body), schema, schemas: schemas, at: "cluster") == [])

        // The actions body is a $ref to one of its shapes (suspend/resume/check, or scale with workers).
        let body = document["paths"]?["/clusters/{id}/actions"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]
        let name = String(body?["$ref"]?.stringValue?.split(separator: "/").last ?? "")
        let shapes = schemas[name]?["oneOf"]?.arrayValue ?? []
        let actions = shapes.flatMap { $0["properties"]?["action"]?["enum"]?.arrayValue ?? [] }
        #expect(Set(actions) == Set(["suspend", "resume", "scale", "check"].map(JSONValue.string)))
    }

    @Test func theCheckerFindsWhatTheSchemaLacks() throws {
        let schemas = try JSONValue.parse(#"{"S": {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string", "enum": ["x"]}, "b": {"type": "boolean"}, "n": {"type": "integer"}}}}"#)
        let found = Self.problems(try JSONValue.parse(#"{"a": "y", "n": 1.5, "extra": true}"#),
                                  try JSONValue.parse(##"{"$ref": "#/components/schemas/S"}"##), schemas: schemas, at: "v")
        #expect(found == ["v.b: required but not sent", #"v.a: 'y' is not in the enum ["x"]"#, "v.extra: sent but not in the schema",
                          "v.n: 1.5 is not of type integer"])
    }
}
