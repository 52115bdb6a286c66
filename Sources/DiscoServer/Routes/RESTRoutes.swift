import DiscoCore
import Foundation

/// The JSON REST API under `/api/v1/`: the handlers the route table (``DiscoApplication/router``) names, described by
/// ``OpenAPIDocument``.
extension DiscoApplication {
    func openAPI(_ request: HTTPServerRequest) -> HTTPServerResponse {
        .json(200, openAPIDocument.json(serverURL: "/api/v1"))
    }

    func components(_ request: HTTPServerRequest) -> HTTPServerResponse {
        JSONResponse.make(200, ComponentListView(components: catalog.names.map { ComponentView(catalog[$0]!.manifest, in: catalog) }))
    }

    func images(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        return try await serviceCall { JSONResponse.make(200, ["images": try await service.inventory(principal: caller.principal, token: caller.token).images]) }
    }

    func flavors(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        return try await serviceCall { JSONResponse.make(200, ["flavors": try await service.inventory(principal: caller.principal, token: caller.token).flavors]) }
    }

    func networks(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        return try await serviceCall { JSONResponse.make(200, ["networks": try await service.inventory(principal: caller.principal, token: caller.token).networks]) }
    }

    func plan(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        let format = request.queryValue("format") ?? "yaml"
        guard format == "yaml" || format == "json" else {
            throw .badRequest("format: '\(format.prefix(40))' is not a template format; use yaml or json",
                              problems: [SpecProblem(path: "format", found: String(format.prefix(40)), problem: "is not a template format", accepted: "yaml or json")])
        }
        let spec = try JSONResponse.decode(ClusterSpec.self, from: try jsonBody(request), fallbacks: fallbacks)
        let plan = try await serviceCall { try await service.plan(spec, principal: caller.principal, token: caller.token) }
        return JSONResponse.make(200, PlanView(plan: plan.summary, template: format == "json" ? plan.template.json() : plan.template.yaml(), format: format))
    }

    func listClusters(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        let project = caller.principal.projectID
        let page = try ClusterPage(request)
        let (ids, next) = try page.apply(to: await service.listIDs(projectID: project, includeDeleting: true, states: page.states))
        let records = await service.records(ids, projectID: project)
        return ClusterJSONCache.response(200, jsonCache.listing(records, next: next))
    }

    func createCluster(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        let spec = try JSONResponse.decode(ClusterSpec.self, from: try jsonBody(request), fallbacks: fallbacks)
        let record = try await serviceCall { try await service.create(spec, principal: caller.principal, token: caller.token) }
        return JSONResponse.make(201, ClusterView(record), headers: ["Location": "/api/v1/clusters/\(record.id)"])
    }

    func getCluster(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        return try await serviceCall {
            ClusterJSONCache.response(200, jsonCache.json(for: try await service.get(id, projectID: caller.principal.projectID, includeDeleting: true)))
        }
    }

    func deleteCluster(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        let project = caller.principal.projectID
        return try await serviceCall {
            try await service.delete(id, projectID: project)
            return JSONResponse.make(202, ClusterView(try await service.get(id, projectID: project, includeDeleting: true)))
        }
    }

    func clusterAction(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        let body = try jsonBody(request)
        return try await serviceCall { JSONResponse.make(202, ClusterView(try await act(body, id: id, project: caller.principal.projectID))) }
    }

    func clusterEvents(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        return try await serviceCall {
            let record = try await service.get(id, projectID: caller.principal.projectID, includeDeleting: true)
            return JSONResponse.make(200, EventListView(events: record.events, timeline: record.timeline))
        }
    }

    func clusterPasswords(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        return try await serviceCall {
            let passwords = try await service.generatedPasswords(of: id, projectID: caller.principal.projectID)
            return JSONResponse.make(200, ["passwords": passwords], headers: ["Cache-Control": "no-store"])
        }
    }

    func clusterKey(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        let caller = try await authenticator.authenticate(request)
        let project = caller.principal.projectID
        return try await serviceCall {
            let record = try await service.get(id, projectID: project)
            let key = try await service.privateKey(of: id, projectID: project)
            return .text(200, key, headers: [
                "Content-Disposition": "attachment; filename=\"\(record.spec.name).id_ed25519\"", "Cache-Control": "no-store",
            ])
        }
    }

    /// The body of a request that must be JSON: a `Content-Type` other than `application/json` (or a `+json` type) is
    /// a 415; none, or the form type that `curl -d` and `URLSession` send by default, is taken as JSON.
    func jsonBody(_ request: HTTPServerRequest) throws(APIError) -> Data {
        if let type = request.headers["Content-Type"] {
            let media = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard media == "application/json" || media == "application/x-www-form-urlencoded"
                || (media.hasPrefix("application/") && media.hasSuffix("+json")) else {
                throw APIError(status: 415, message: "Content-Type: '\(type.prefix(80))' is not accepted; send application/json")
            }
        }
        return request.body
    }

    /// Runs cluster-service work, mapping its errors to API errors.
    private func serviceCall<T>(_ work: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await work()
        } catch {
            throw APIError.of(error)
        }
    }

    private func act(_ body: Data, id: String, project: String) async throws -> ClusterRecord {
        struct ActionBody: Decodable {
            var action: String
            var workers: Int?
            private enum CodingKeys: String, CodingKey, CaseIterable { case action, workers }
            init(from decoder: any Decoder) throws {
                try decoder.refuseUnknownKeys(CodingKeys.self)
                let c = try decoder.container(keyedBy: CodingKeys.self)
                action = try c.decode(String.self, forKey: .action)
                workers = try c.decodeIfPresent(Int.self, forKey: .workers)
            }
        }
        let body = try JSONResponse.decode(ActionBody.self, from: body)
        let maxWorkers = service.planner.options.limits.maxWorkers
        switch body.action {
        case "suspend", "resume", "check":
            guard body.workers == nil else {
                throw APIError.badRequest("workers: only a scale takes a number of workers",
                                          problems: [SpecProblem(path: "workers", found: body.workers.map(String.init), problem: "is not taken by \(body.action)",
                                                                 accepted: "no workers with suspend, resume or check")])
            }
            switch body.action {
            case "suspend": return try await service.perform(.suspend, on: id, projectID: project)
            case "resume": return try await service.perform(.resume, on: id, projectID: project)
            default: return try await check(id, projectID: project)
            }
        case "scale":
            guard let workers = body.workers else {
                throw APIError.badRequest("workers: is missing; a scale needs the new number of workers",
                                          problems: [SpecProblem(path: "workers", found: nil, problem: "is missing", accepted: "0…\(maxWorkers)")])
            }
            return try await service.scale(id, projectID: project, workers: workers)
        default:
            throw APIError.badRequest("action: '\(body.action.prefix(40))' is not an action; use suspend, resume, scale or check",
                                      problems: [SpecProblem(path: "action", found: String(body.action.prefix(40)), problem: "is not an action",
                                                             accepted: "suspend, resume, scale or check")])
        }
    }

    /// Keystone sign-in through the server (for the dashboard); the password is used once and forgotten.
    func issueToken(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        struct Credentials: Decodable {
            var username: String
            var password: String
            var project: String?
            var domain: String?
            private enum CodingKeys: String, CodingKey, CaseIterable { case username, password, project, domain }
            init(from decoder: any Decoder) throws {
                try decoder.refuseUnknownKeys(CodingKeys.self)
                let c = try decoder.container(keyedBy: CodingKeys.self)
                username = try c.decode(String.self, forKey: .username)
                password = try c.decode(String.self, forKey: .password)
                project = try c.decodeIfPresent(String.self, forKey: .project)
                domain = try c.decodeIfPresent(String.self, forKey: .domain)
            }
        }
        // Only JSON: a form post from any web page (a "simple" cross-site request, no preflight) is refused.
        guard let type = request.headers["Content-Type"], type.split(separator: ";").first?
                .trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
            throw APIError(status: 415, message: "a sign-in is a JSON body with Content-Type: application/json, not "
                           + "\(request.headers["Content-Type"].map { "'\($0.prefix(64))'" } ?? "none")")
        }
        let credentials = try JSONResponse.decode(Credentials.self, from: request.body)
        if let wait = signIns.exhausted(request.peer) { throw .tooMany(signIns, from: request.peer, retryAfter: wait) }
        do {
            let issued = try await provider.issueToken(.password(user: credentials.username, password: credentials.password,
                                                                  project: credentials.project ?? credentials.username,
                                                                  domain: credentials.domain ?? "Default"))
            return JSONResponse.make(201, TokenView(token: issued.token, expiresAt: issued.principal.expiresAt,
                                                 project: issued.principal.projectName, projectID: issued.principal.projectID,
                                                 user: issued.principal.userName), headers: ["Cache-Control": "no-store"])
        } catch let error as CloudError where error.kind == .unauthorized {
            if let problem = await identity.currentProblem() { throw identity.error(problem) }
            signIns.charge(request.peer)
            throw .unauthorized("the user name, password or project is wrong", identityURI: provider.identityURI)
        } catch {
            // Keystone answers a sign-in with 401, never 404: any other failure is the identity service's.
            if let problem = await identity.currentProblem() { throw identity.error(problem) }
            if let error = error as? CloudError { throw APIError(.cloud(error)) }
            throw APIError(status: 503, message: "the identity service did not answer")
        }
    }
}
