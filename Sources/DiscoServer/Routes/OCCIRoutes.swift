import DiscoCore
import DiscoOCCI
import Foundation

/// The OCCI API as the original DISCO served it (and as its README's curl commands use it).
extension DiscoApplication {
    /// `GET /-/`: the kinds and actions this service offers.
    func occiQuery(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        try checkUserAgent(request)
        guard request.method == "GET" || request.method == "HEAD" else {
            throw .methodNotAllowed(request.method, allowed: ["GET", "HEAD"])
        }
        _ = try await authenticator.authenticate(request)
        let type = try negotiate(request, isListing: false)
        var categories = mapping.categories
        // A filter (Category in the request) narrows the answer (GFD.185 §3.4.1).
        if let contentType = request.headers["Content-Type"] ?? (request.headers.contains("Category") ? "text/occi" : nil) {
            do {
                let filter = try OCCIParser().parseCategories(headers: headerPairs(request), body: request.bodyText, contentType: contentType)
                if !filter.isEmpty { categories = try OCCICategoryRegistry(categories).filter(filter) }
            } catch {
                throw APIError(error)
            }
        }
        return respond(renderer(request).render(categories: categories, as: type))
    }

    /// `/disco/`: list (GET), create (POST), delete all of the project's clusters (DELETE).
    func occiCollection(_ request: HTTPServerRequest) async throws(APIError) -> HTTPServerResponse {
        try checkUserAgent(request)
        switch request.method {
        case "GET", "HEAD":
            let caller = try await authenticator.authenticate(request)
            let type = try negotiate(request, isListing: true)
            if type.isJSON {
                let records = await service.list(projectID: caller.principal.projectID)
                return respond(renderer(request).render(collection: records.map { mapping.entity($0, privateKey: nil) }, as: type))
            }
            let ids = await service.listIDs(projectID: caller.principal.projectID)
            return respond(renderer(request).render(locations: ids.map { "/disco/" + $0 }, as: type))
        case "POST":
            let caller = try await authenticator.authenticate(request)
            let type = try negotiate(request, isListing: false)
            let body = try parse(request)
            try requireDiscoKind(body)
            let spec = try mapping.spec(from: body.attributes, catalog: catalog)
            let record: ClusterRecord
            do {
                record = try await service.create(spec, principal: caller.principal, token: caller.token)
            } catch let .invalid(validation) {
                // Named by the attributes the OCCI user sent, not the REST fields they became.
                throw APIError(ServiceError.invalid(SpecValidationError(problems: validation.problems.map(OCCIClusterMapping.attributeProblem))))
            } catch {
                throw APIError(error)
            }
            let location = baseURL(request) + "/disco/\(record.id)"
            var response = respond(renderer(request).renderCreated(location: location, as: type), status: 201)
            response.headers.set("Location", location)
            return response
        case "DELETE":
            let caller = try await authenticator.authenticate(request)
            for record in await service.list(projectID: caller.principal.projectID) {
                try? await service.delete(record.id, projectID: caller.principal.projectID)
            }
            return respond(renderer(request).renderOK(as: try negotiate(request, isListing: false)))
        default:
            throw .methodNotAllowed(request.method, allowed: ["GET", "HEAD", "POST", "DELETE"])
        }
    }

    /// `/disco/{id}`: read (GET), partial update and actions (POST), delete (DELETE).
    func occiEntity(_ request: HTTPServerRequest, id: String) async throws(APIError) -> HTTPServerResponse {
        try checkUserAgent(request)
        guard ["GET", "HEAD", "POST", "DELETE"].contains(request.method) else {
            throw .methodNotAllowed(request.method, allowed: ["GET", "HEAD", "POST", "DELETE"])
        }
        let caller = try await authenticator.authenticate(request)
        let project = caller.principal.projectID
        let type = try negotiate(request, isListing: false)
        do {
            switch request.method {
            case "GET", "HEAD":
                return try await render(id, project: project, request: request, as: type)
            case "DELETE":
                try await service.delete(id, projectID: project)
                return respond(renderer(request).renderOK(as: type))
            default:
                _ = try await service.get(id, projectID: project)
                try await update(id, project: project, request: request)
                return try await render(id, project: project, request: request, as: type)
            }
        } catch {
            throw APIError.of(error)
        }
    }

    /// A partial update: `action="suspend"|"resume"`, `?action=` with the action's Category, or a new `slavecount`.
    private func update(_ id: String, project: String, request: HTTPServerRequest) async throws {
        let body = try parse(request)
        var action: String?
        if let term = OCCIParser.actionTerm(inQuery: request.target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init)) {
            do {
                let invocation = try OCCIParser().parseActionInvocation(
                    query: "action=\(term)", headers: headerPairs(request), body: request.bodyText, contentType: request.headers["Content-Type"])
                action = invocation.action.term
            } catch {
                throw APIError(error)
            }
        } else if let value = body.attributes["action"] {
            action = OCCIClusterMapping.text(of: value)
        }
        let count = body.attributes[OCCIClusterMapping.heat + "slavecount"].map(OCCIClusterMapping.text(of:))
        switch (action, count) {
        case ("suspend"?, nil):
            _ = try await service.perform(.suspend, on: id, projectID: project)
        case ("resume"?, nil):
            _ = try await service.perform(.resume, on: id, projectID: project)
        case ("check"?, nil):
            _ = try await check(id, projectID: project)
        case let (nil, text?):
            guard let workers = Int(text) else {
                throw APIError.badRequest("\(OCCIClusterMapping.heat)slavecount: \(text.prefix(40)) is not a whole number; use 0…\(service.planner.options.limits.maxWorkers)")
            }
            _ = try await service.scale(id, projectID: project, workers: workers)
        case (let action?, nil):
            throw APIError.badRequest("action: '\(action.prefix(40))' is not an action of a cluster; use suspend, resume or check")
        case (_?, _?):
            throw APIError.badRequest("send either an action or a new slavecount, not both")
        case (nil, nil):
            throw APIError.badRequest("nothing to update; send action=\"suspend\", action=\"resume\" or \(OCCIClusterMapping.heat)slavecount=\"N\"")
        }
    }

    private func render(_ id: String, project: String, request: HTTPServerRequest, as type: OCCIMediaType) async throws -> HTTPServerResponse {
        let (record, key, passwords) = try await service.getWithOwnerSecrets(id, projectID: project)
        let base = baseURL(request)
        var response = occiCache.response(for: record, privateKey: key, passwords: passwords, baseURL: base, type: type) {
            respond(OCCIRenderer(baseURL: base).render(mapping.entity(record, privateKey: key, passwords: passwords), as: type))
        }
        // It carries the cluster's private key (ssh_private_key) and generated passwords: no cache keeps it.
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    // MARK: - Helpers

    private func parse(_ request: HTTPServerRequest) throws(APIError) -> OCCIRequestBody {
        do {
            return try OCCIParser(baseURL: baseURL(request)).parseRequest(
                headers: headerPairs(request), body: request.bodyText, contentType: request.headers["Content-Type"])
        } catch {
            throw APIError(error)
        }
    }

    private func requireDiscoKind(_ body: OCCIRequestBody) throws(APIError) {
        let kinds = body.categories.filter { $0.categoryClass == nil || $0.categoryClass == .kind }
        guard let kind = kinds.first else {
            throw APIError.badRequest("Could not find a valid kind: send Category: disco; scheme=\"\(OCCIClusterMapping.scheme)\"; class=\"kind\"")
        }
        guard kind.term == "disco", kind.scheme == OCCIClusterMapping.scheme else {
            throw APIError.badRequest("The category \(kind.scheme)\(kind.term) is not registered within this service (see the query interface /-/); use disco; scheme=\"\(OCCIClusterMapping.scheme)\"")
        }
    }

    func headerPairs(_ request: HTTPServerRequest) -> [(String, String)] {
        request.headers.entries.map { ($0.name, $0.value) }
    }

    private func negotiate(_ request: HTTPServerRequest, isListing: Bool) throws(APIError) -> OCCIMediaType {
        let accept = request.headers.values("Accept").joined(separator: ", ")
        do {
            return try OCCINegotiation.negotiate(accept: accept.isEmpty ? nil : accept, isListing: isListing)
        } catch {
            throw APIError(error)
        }
    }

    private func checkUserAgent(_ request: HTTPServerRequest) throws(APIError) {
        do {
            _ = try OCCINegotiation.checkUserAgent(request.headers["User-Agent"])
        } catch {
            throw APIError(error)
        }
    }

    /// `http://<Host>` of the request (or what a trusted proxy says the client used), for absolute locations.
    func baseURL(_ request: HTTPServerRequest) -> String {
        ForwardedOrigin(request, trusting: trustedProxies).baseURL
    }

    /// Whether `value` is 1–255 characters of letters, digits and `.-:[]`.
    static func isPlainHost(_ value: String) -> Bool {
        let utf8 = value.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (every real Host): a byte check instead of CharacterSet lookups.
            return !utf8.isEmpty && utf8.count < 256 && utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: ":")
                    || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")
            }
        }
        return value.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0) }
            && !value.isEmpty && value.count < 256
    }

    private func renderer(_ request: HTTPServerRequest) -> OCCIRenderer { OCCIRenderer(baseURL: baseURL(request)) }

    private func respond(_ rendering: OCCIRendering, status: Int = 200) -> HTTPServerResponse {
        var headers = HTTPHeaders()
        for field in rendering.headers { headers.add(field.name, field.value) }
        headers.set("Content-Type", rendering.contentType)
        return HTTPServerResponse(status: status, headers: headers, body: Data(rendering.body.utf8))
    }
}
