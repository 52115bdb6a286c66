import DiscoCore
import Foundation

/// The JSON REST API under `/api/v1/`, described by ``OpenAPIDocument``.
extension DiscoApplication {
    func rest(_ request: HTTPServerRequest, _ path: [String]) async throws(APIError) -> (String, HTTPServerResponse) {
        let method = request.method == "HEAD" ? "GET" : request.method
        switch (method, path.count, path.first) {
        case ("GET", 1, "openapi.json"):
            return ("/api/v1/openapi.json", .json(200, OpenAPIDocument.json))
        case ("POST", 1, "tokens"):
            return ("/api/v1/tokens", try await issueToken(request))
        case (_, 1, "openapi.json"), (_, 1, "tokens"):
            throw .methodNotAllowed(request.method, allowed: [path.first == "tokens" ? "POST" : "GET"])
        case ("GET", 1, "components"):
            return ("/api/v1/components", JSONResponse.make(200, ComponentListView(components: catalog.names.map { ComponentView(catalog[$0]!.manifest, in: catalog) })))
        default:
            break
        }
        let caller = try await authenticator.authenticate(request)
        let project = caller.principal.projectID
        do {
            switch (method, path.count, path.first) {
            case ("GET", 1, "images"):
                return ("/api/v1/images", JSONResponse.make(200, ["images": try await service.inventory(principal: caller.principal, token: caller.token).images]))
            case ("GET", 1, "flavors"):
                return ("/api/v1/flavors", JSONResponse.make(200, ["flavors": try await service.inventory(principal: caller.principal, token: caller.token).flavors]))
            case ("GET", 1, "networks"):
                return ("/api/v1/networks", JSONResponse.make(200, ["networks": try await service.inventory(principal: caller.principal, token: caller.token).networks]))
            case ("POST", 1, "plan"):
                let spec = try JSONResponse.decode(ClusterSpec.self, from: request.body)
                let plan = try await service.plan(spec, principal: caller.principal, token: caller.token)
                let json = request.queryValue("format") == "json"
                return ("/api/v1/plan", JSONResponse.make(200, PlanView(plan: plan.summary, template: json ? plan.template.json() : plan.template.yaml(),
                                                                        format: json ? "json" : "yaml")))
            case ("GET", 1, "clusters"):
                let page = try ClusterPage(request)
                let (ids, next) = try page.apply(to: await service.listIDs(projectID: project, includeDeleting: true, states: page.states))
                let records = await service.records(ids, projectID: project)
                return ("/api/v1/clusters", ClusterJSONCache.response(200, jsonCache.listing(records, next: next)))
            case ("POST", 1, "clusters"):
                let spec = try JSONResponse.decode(ClusterSpec.self, from: request.body)
                let record = try await service.create(spec, principal: caller.principal, token: caller.token)
                return ("/api/v1/clusters", JSONResponse.make(201, ClusterView(record), headers: ["Location": "/api/v1/clusters/\(record.id)"]))
            case (_, 1, "clusters"):
                throw APIError.methodNotAllowed(request.method, allowed: ["GET", "POST"])
            case ("GET", 2, "clusters"):
                return ("/api/v1/clusters/{id}", ClusterJSONCache.response(200, jsonCache.json(for: try await service.get(path[1], projectID: project, includeDeleting: true))))
            case ("DELETE", 2, "clusters"):
                try await service.delete(path[1], projectID: project)
                return ("/api/v1/clusters/{id}", JSONResponse.make(202, ClusterView(try await service.get(path[1], projectID: project, includeDeleting: true))))
            case (_, 2, "clusters"):
                throw APIError.methodNotAllowed(request.method, allowed: ["GET", "DELETE"])
            case ("POST", 3, "clusters") where path[2] == "actions":
                return ("/api/v1/clusters/{id}/actions", JSONResponse.make(202, ClusterView(try await act(request, id: path[1], project: project))))
            case ("GET", 3, "clusters") where path[2] == "events":
                let record = try await service.get(path[1], projectID: project, includeDeleting: true)
                return ("/api/v1/clusters/{id}/events", JSONResponse.make(200, EventListView(events: record.events, timeline: record.timeline)))
            case ("GET", 3, "clusters") where path[2] == "passwords":
                let passwords = try await service.generatedPasswords(of: path[1], projectID: project)
                return ("/api/v1/clusters/{id}/passwords", JSONResponse.make(200, ["passwords": passwords], headers: ["Cache-Control": "no-store"]))
            case ("GET", 3, "clusters") where path[2] == "ssh-key":
                let record = try await service.get(path[1], projectID: project)
                let key = try await service.privateKey(of: path[1], projectID: project)
                return ("/api/v1/clusters/{id}/ssh-key", .text(200, key, headers: [
                    "Content-Disposition": "attachment; filename=\"\(record.spec.name).id_ed25519\"", "Cache-Control": "no-store",
                ]))
            default:
                throw APIError.notFound("no API at \(request.path.prefix(200)); see /api/v1/openapi.json")
            }
        } catch let error as ServiceError {
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(status: 500, message: "unexpected error")
        }
    }

    private func act(_ request: HTTPServerRequest, id: String, project: String) async throws -> ClusterRecord {
        struct ActionBody: Decodable {
            var action: String
            var workers: Int?
        }
        let body = try JSONResponse.decode(ActionBody.self, from: request.body)
        switch body.action {
        case "suspend": return try await service.perform(.suspend, on: id, projectID: project)
        case "resume": return try await service.perform(.resume, on: id, projectID: project)
        case "check": return try await check(id, projectID: project)
        case "scale":
            guard let workers = body.workers else {
                throw APIError.badRequest("workers: is missing; a scale needs the new number of workers",
                                          problems: [SpecProblem(path: "workers", found: nil, problem: "is missing", accepted: "0…\(service.planner.options.limits.maxWorkers)")])
            }
            return try await service.scale(id, projectID: project, workers: workers)
        default:
            throw APIError.badRequest("action: '\(body.action.prefix(40))' is not an action; use suspend, resume, scale or check",
                                      problems: [SpecProblem(path: "action", found: String(body.action.prefix(40)), problem: "is not an action",
                                                             accepted: "suspend, resume, scale or check")])
        }
    }

    /// Keystone sign-in through the server (for the dashboard); the password is used once and forgotten.
    private func issueToken(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        struct Credentials: Decodable {
            var username: String
            var password: String
            var project: String?
            var domain: String?
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
