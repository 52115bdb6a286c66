import DiscoCore
import DiscoOpenStack
import Foundation
import Testing
@testable import DiscoServer

/// The route table is the one source of the paths, methods and statuses the server answers and the OpenAPI document
/// describes.
@Suite struct APIContractTests {
    /// A path of every route of the table, with `{…}` filled in.
    static let paths = DiscoApplication.router.routes.map { route in
        "/" + route.segments.map { segment -> String in
            switch segment {
            case let .literal(text): text
            case .parameter: "0f178723-3de3-4c85-94bf-eb3811480891"
            case .rest: "index.html"
            }
        }.joined(separator: "/")
    }

    @Test func everyPathAnswersAnUndeclaredMethodWith405AndAllow() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        for (route, path) in zip(DiscoApplication.router.routes, Self.paths) {
            for method in ["TRACE", "PATCH", "PUT"] where route.operation(for: method) == nil {
                let response = await t.request(method, path)
                #expect(response.status == 405, "\(method) \(path): \(response.status)")
                #expect(response.headers["Allow"] == route.allowedMethods.joined(separator: ", "), "\(method) \(path)")
            }
        }
    }

    @Test func errorsUnderTheRESTAPIAreJSONAndUnknownPathsGetOneMetricsLabel() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let response = await t.request("TRACE", "/api/v1/clusters/x/events")
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(await t.request("GET", "/no/such/path/\(UUID())").status == 404)
        let metrics = await t.request("GET", "/metrics").text
        #expect(metrics.contains("route=\"other\",method=\"GET\",status=\"404\""))
        #expect(metrics.contains("route=\"/api/v1/clusters/{id}/events\",method=\"OTHER\",status=\"405\""))
    }

    @Test func documentIsBuiltFromTheRouteTableAndTheConfiguredLimits() throws {
        let document = OpenAPIDocument(router: DiscoApplication.router, limits: SpecLimits(maxWorkers: 7), catalog: try .builtIn())
        guard case let .object(root) = document.document, case let .object(paths)? = root["paths"],
              case let .object(schemas)? = root["components"]?["schemas"] else {
            Issue.record("no paths or schemas")
            return
        }
        for route in DiscoApplication.router.routes {
            for operation in route.operations {
                guard let contract = operation.contract else { continue }
                let item = paths[String(route.template.dropFirst("/api/v1".count))]?[operation.method.lowercased()]
                #expect(item?["operationId"] == .string(contract.operationID), "\(operation.method) \(route.template)")
                if contract.authenticated {
                    for status in ["401", "403", "503"] { #expect(item?["responses"]?[status] != nil, "\(contract.operationID) \(status)") }
                }
            }
        }
        #expect(schemas["ClusterSpec"]?["properties"]?["workers"]?["maximum"] == 7)
        #expect(schemas["ClusterAction"]?["oneOf"]?[1]?["properties"]?["workers"]?["maximum"] == 7)
        #expect(schemas["ClusterSpec"]?["properties"]?["name"]?["pattern"] == .string(ClusterSpec.namePattern.source))
        #expect(schemas["ClusterState"]?["enum"] == .array(ClusterState.allCases.map { .string($0.rawValue) }))
        // Component properties come from the catalog, with their patterns; a required secret is required.
        let jupyter = schemas["ClusterSpec"]?["properties"]?["components"]?["properties"]?["jupyter"]
        #expect(jupyter?["required"] == ["password"])
        #expect(jupyter?["additionalProperties"] == false)
    }

    @Test func aPlanSaysWhyEachComponentIsThereWithoutSwiftsEnumEncoding() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let spec = #"{"name":"p","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":1,"externalNetwork":"public","components":{"spark":{}}}"#
        let response = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token), ("Content-Type", "application/json")], body: spec)
        #expect(response.status == 200, "\(response.text)")
        #expect(!response.text.contains(#"{"_0""#))
        let components = try #require((try response.json()["plan"] as? [String: Any])?["components"] as? [[String: Any]])
        let hadoop = try #require(components.first { $0["name"] as? String == "hadoop" })
        #expect(hadoop["reason"] as? String == "requiredBy")
        #expect(hadoop["requiredBy"] as? [String] == ["spark"])
        // disco-cli decodes the same shape.
        let view = try JSONDecoder().decode(PlanView.self, from: response.body)
        #expect(view.plan.components.first { $0.name == "hadoop" }?.reason == .requiredBy(["spark"]))
    }

    @Test func aBodyThatIsNotJSONIs415() async throws {
        let t = try await TestApp.make()
        defer { Task { await t.stop() } }
        let token = try await t.token()
        let spec = #"{"name":"p","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":1,"externalNetwork":"public"}"#
        let text = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token), ("Content-Type", "text/plain")], body: spec)
        #expect(text.status == 415, "\(text.text)")
        // What curl -d and URLSession send when not told: taken as JSON where a token header is needed (no cross-site
        // form can send one); a sign-in takes application/json only.
        let form = await t.request("POST", "/api/v1/plan", headers: [("X-Auth-Token", token), ("Content-Type", "application/x-www-form-urlencoded")],
                                   body: spec)
        #expect(form.status == 200, "\(form.text)")
        let signIn = await t.request("POST", "/api/v1/tokens", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                     body: #"{"username":"demo","password":"demo"}"#)
        #expect(signIn.status == 415)
    }
}
