public import DiscoCore
import Foundation

/// A client of the Heat orchestration API v1 (`/v1/{project_id}`), endpoint from the catalog.
public struct HeatClient: Sendable {
    static let service = "orchestration"
    public let session: OpenStackSession

    public init(session: OpenStackSession) { self.session = session }

    private func call(_ method: String, _ path: String, body: JSONValue? = nil, idempotent: Bool? = nil,
                      accept: Set<Int> = [200, 201, 202, 204]) async throws -> HTTPResponse {
        try await session.call(method, serviceType: "orchestration", service: Self.service, path: path, body: body,
                               idempotent: idempotent, accept: accept)
    }

    private func json(_ response: HTTPResponse) throws -> JSONValue {
        do { return try JSONValue.parse(response.body) } catch {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status,
                             message: "not JSON: \(response.text.prefix(120))")
        }
    }

    static func path(_ reference: StackReference) -> String { "/stacks/\(escape(reference.name))/\(escape(reference.id))" }

    // MARK: - Stacks

    /// `POST /stacks` → 201. Retried on 5xx answers, never after a timeout: Heat checks the name before it commits
    /// the stack, so a repeat racing a slow first request makes a twin (seen against real Heat on a loaded host: two
    /// stacks of one name, the second failing on its key pair). Heat validates the whole template (and asks
    /// Glance, Nova and Neutron about its constraints) before it answers, so the timeout is at least 120 s.
    /// - Throws: `.conflict` when the name exists; `.badRequest` for template errors; `.quotaExceeded`;
    ///   `.unreachable` after a timeout (the stack may exist: look it up by name).
    public func create(_ request: HeatStackCreate) async throws -> StackReference {
        let response = try await session.call("POST", serviceType: "orchestration", service: Self.service, path: "/stacks",
                                              body: request.body, idempotent: true,
                                              timeout: max(120, session.configuration.requestTimeout), retryTransportErrors: false)
        let json = try json(response)
        guard let id = json["stack"]?["id"]?.stringValue else {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status, message: "create answer without stack.id")
        }
        return StackReference(name: request.name, id: id)
    }

    /// Finds a stack by name (`GET /stacks/{name}` → 302 to `/stacks/{name}/{id}`); `nil` when there is none.
    public func find(name: String) async throws -> StackReference? {
        let response: HTTPResponse
        do {
            response = try await call("GET", "/stacks/\(escape(name))", accept: [200, 302, 301, 303, 307])
        } catch let error as CloudError where error.kind == .notFound {
            return nil
        }
        if response.status == 200 {
            // The transport followed the redirect itself.
            let stack = HeatStack(json: try json(response)["stack"] ?? .null)
            return stack.reference.id.isEmpty ? nil : stack.reference
        }
        guard let location = response.header("Location"), let url = URL(string: location) else {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status, message: "redirect without Location")
        }
        let parts = url.path.split(separator: "/").map(String.init)
        guard parts.count >= 2 else {
            throw CloudError(.invalidResponse, service: Self.service, status: response.status, message: "odd Location \(location)")
        }
        return StackReference(name: parts[parts.count - 2].removingPercentEncoding ?? parts[parts.count - 2],
                              id: parts[parts.count - 1])
    }

    /// `GET /stacks/{name}/{id}`; `nil` on 404.
    ///
    /// - Parameter resolvingOutputs: `false` leaves the outputs out (`resolve_outputs=false`). Heat resolves each
    ///   output's `get_attr` on every read, which for a server's address is a call to Nova per server.
    public func show(_ reference: StackReference, resolvingOutputs: Bool = true) async throws -> HeatStack? {
        do {
            let response = try await call("GET", Self.path(reference) + (resolvingOutputs ? "" : "?resolve_outputs=false"))
            return HeatStack(json: try json(response)["stack"] ?? .null)
        } catch let error as CloudError where error.kind == .notFound {
            return nil
        }
    }

    /// `GET /stacks?tags=…` (all of the tags).
    public func list(tags: [String] = []) async throws -> [HeatStack] {
        let query = tags.isEmpty ? "" : "?tags=\(escape(tags.joined(separator: ",")))"
        let response = try await call("GET", "/stacks\(query)")
        return (try json(response)["stacks"]?.arrayValue ?? []).map(HeatStack.init(json:))
    }

    /// `PATCH /stacks/{name}/{id}` → 202: new parameter values, existing template.
    public func update(_ reference: StackReference, parameters: [String: String]) async throws {
        _ = try await call("PATCH", Self.path(reference), body: ["parameters": .object(parameters.mapValues(JSONValue.string))],
                           idempotent: true)
    }

    /// `POST /stacks/preview` → the stack Heat would create, with its `resources`.
    public func preview(_ request: HeatStackCreate) async throws -> JSONValue {
        let response = try await call("POST", "/stacks/preview", body: request.body, idempotent: true)
        return try json(response)["stack"] ?? .null
    }

    /// `POST /validate` → `Description`, `Parameters`, …
    public func validate(template: JSONValue, environment: JSONValue? = nil) async throws -> JSONValue {
        var body: [String: JSONValue] = ["template": template]
        if let environment { body["environment"] = environment }
        return try json(try await call("POST", "/validate", body: .object(body), idempotent: true))
    }

    /// `DELETE /stacks/{name}/{id}` → 204; a stack that is gone (404) counts as deleted.
    public func delete(_ reference: StackReference) async throws {
        _ = try await call("DELETE", Self.path(reference), accept: [200, 202, 204, 404])
    }

    /// `POST /stacks/{name}/{id}/actions` with `{"suspend": null}` etc.
    public func perform(_ action: StackAction, on reference: StackReference) async throws {
        _ = try await call("POST", Self.path(reference) + "/actions", body: .object([action.rawValue: .null]),
                           idempotent: false)
    }

    /// `GET …/outputs` → the output keys (Heat lists them without resolving their values).
    public func outputKeys(_ reference: StackReference) async throws -> [String] {
        let response = try await call("GET", Self.path(reference) + "/outputs")
        return (try json(response)["outputs"]?.arrayValue ?? []).compactMap { $0["output_key"]?.stringValue }
    }

    /// `GET …/outputs/{key}` → the output value (`nil` when it is `null`).
    public func output(_ reference: StackReference, key: String) async throws -> JSONValue? {
        let response = try await call("GET", Self.path(reference) + "/outputs/\(escape(key))")
        let value = try json(response)["output"]?["output_value"]
        return value?.isNull == false ? value : nil
    }

    /// Events newer than `marker`, oldest first, following pages of `limit` (`?marker=…&sort_dir=asc&limit=…`).
    public func events(_ reference: StackReference, after marker: String?, limit: Int = 100) async throws -> [StackEvent] {
        var result: [StackEvent] = []
        var marker = marker
        while true {
            var query = "sort_dir=asc&limit=\(limit)"
            if let marker { query = "marker=\(escape(marker))&" + query }
            let response = try await call("GET", Self.path(reference) + "/events?\(query)")
            let page = (try json(response)["events"]?.arrayValue ?? []).map(Self.event)
            result += page
            guard page.count >= limit, let last = page.last else { return result }
            marker = last.id
        }
    }

    static func event(_ json: JSONValue) -> StackEvent {
        StackEvent(id: json["id"]?.stringValue ?? "",
                   resourceName: json["resource_name"]?.stringValue ?? json["logical_resource_id"]?.stringValue ?? "",
                   resourceStatus: json["resource_status"]?.stringValue ?? "",
                   resourceStatusReason: json["resource_status_reason"]?.stringValue ?? "",
                   eventTime: OpenStackDate.parse(json["event_time"]?.stringValue) ?? Date(timeIntervalSince1970: 0))
    }
}
