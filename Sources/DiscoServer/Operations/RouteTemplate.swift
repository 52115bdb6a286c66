/// The fixed set of route labels requests are counted and logged under: the templates of the routes the server
/// serves, and ``other`` for everything else, so that what a client sends never becomes a label of its own.
enum RouteTemplate {
    /// The label of a request that matched no route.
    static let other = "other"

    /// Every route template a handler returns.
    static let known: Set<String> = [
        "/", "/-/", "/disco/", "/disco/{id}", "/healthz", "/metrics", "/dashboard",
        "/api/v1/openapi.json", "/api/v1/tokens", "/api/v1/components", "/api/v1/images", "/api/v1/flavors",
        "/api/v1/networks", "/api/v1/plan", "/api/v1/clusters", "/api/v1/clusters/{id}",
        "/api/v1/clusters/{id}/actions", "/api/v1/clusters/{id}/events", "/api/v1/clusters/{id}/ssh-key",
    ]

    /// The methods counted under their own name; any other is counted as `OTHER`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    /// `route` when it is a known template, else ``other``.
    static func label(route: String) -> String { known.contains(route) ? route : other }

    /// `method` when it is a known method, else `OTHER`.
    static func label(method: String) -> String { knownMethods.contains(method) ? method : "OTHER" }

    /// The template a path falls under when the request failed before a handler named its route (an id segment
    /// matches `{id}`); ``other`` when no route has this shape.
    static func template(of segments: [String]) -> String {
        switch (segments.count, segments.first) {
        case (0, _): return "/"
        case (1, "-"): return "/-/"
        case (_, ".well-known"): return segments.joined(separator: "/") == ".well-known/org/ogf/occi/-" ? "/-/" : other
        case (1, "disco"): return "/disco/"
        case (2, "disco"): return "/disco/{id}"
        case (1, "healthz"): return "/healthz"
        case (1, "metrics"): return "/metrics"
        case (_, "dashboard"): return "/dashboard"
        case (3, "api") where segments[1] == "v1":
            return label(route: "/api/v1/" + segments[2])
        case (4, "api") where segments[1] == "v1" && segments[2] == "clusters":
            return "/api/v1/clusters/{id}"
        case (5, "api") where segments[1] == "v1" && segments[2] == "clusters":
            return label(route: "/api/v1/clusters/{id}/" + segments[4])
        default: return other
        }
    }
}
