import Foundation

/// The service's route table: finds the route of a request, answers 405 with `Allow` for a method a path does not
/// serve and 404 for a path no route matches.
struct Router: Sendable {
    /// The metrics and log label of requests no route matches (a fixed label: paths are chosen by clients).
    static let unmatchedLabel = "other"

    let routes: [Route]

    init(_ routes: [Route]) {
        self.routes = routes
    }

    /// The first route whose template matches `path`.
    func route(for path: String) -> Route? {
        routes.first { $0.matches(path) }
    }

    /// Every label a request is counted under: the templates and ``unmatchedLabel``.
    var labels: Set<String> {
        Set(routes.map(\.template)).union([Self.unmatchedLabel])
    }

    /// The label of a request for `path`: its route's template, or ``unmatchedLabel``.
    func label(for path: String) -> String {
        route(for: path)?.template ?? Self.unmatchedLabel
    }

    /// Whether errors for `path` are JSON: its route's choice, or for no route, whether it is under `/api`.
    func answersJSON(_ path: String) -> Bool {
        route(for: path)?.answersJSON ?? (path.split(separator: "/").first == "api")
    }

    /// Whether `request` may be answered on the HTTP event-loop thread (see ``RouteOperation/isQuickRead``).
    func isQuickRead(_ request: HTTPServerRequest) -> Bool {
        guard request.method == "GET" || request.method == "HEAD" else { return false }
        for route in routes where route.matches(request.path) {
            return route.operation(for: request.method)?.isQuickRead ?? false
        }
        return false
    }

    /// Runs the operation `request` asks for.
    ///
    /// - Returns: the route's template (the metrics label), whether errors are JSON, and the outcome.
    func dispatch(_ request: HTTPServerRequest, application: DiscoApplication) async
        -> (label: String, json: Bool, outcome: Result<HTTPServerResponse, APIError>) {
        guard let route = route(for: request.path) else {
            return (Self.unmatchedLabel, answersJSON(request.path), .failure(.notFound(
                "nothing at \(request.path.prefix(200)); the OCCI API is at /-/ and /disco/, the REST API at /api/v1/ (see /api/v1/openapi.json)")))
        }
        guard let operation = route.operation(for: request.method) else {
            return (route.template, route.answersJSON, .failure(.methodNotAllowed(request.method, allowed: route.allowedMethods)))
        }
        do throws(APIError) {
            let response = try await operation.handler(application, request, route.parameters(in: request.path))
            return (route.template, route.answersJSON, .success(response))
        } catch {
            return (route.template, route.answersJSON, .failure(error))
        }
    }
}
