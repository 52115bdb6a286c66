import DiscoCore
import DiscoOpenStack

/// Every path the service answers, its methods and, for the REST API, the contract the OpenAPI document is built from.
extension DiscoApplication {
    static let router = Router([
        Route("/", [
            RouteOperation("GET", quickRead: true) { app, request, _ in app.root(request) },
        ]),
        Route("/-/", occiQuery),
        Route("/.well-known/org/ogf/occi/-/", occiQuery),
        Route("/disco/", [
            RouteOperation("GET") { app, request, _ throws(APIError) in try await app.occiCollection(request) },
            RouteOperation("POST") { app, request, _ throws(APIError) in try await app.occiCollection(request) },
            RouteOperation("DELETE") { app, request, _ throws(APIError) in try await app.occiCollection(request) },
        ]),
        Route("/disco/{id}", ["GET", "POST", "DELETE"].map { method in
            RouteOperation(method, quickRead: method == "GET") { app, request, parameters throws(APIError) in
                try await app.occiEntity(request, id: parameters["id"] ?? "")
            }
        }),
        Route("/api/v1/openapi.json", json: true, [
            RouteOperation("GET") { app, request, _ in app.openAPI(request) },
        ]),
        Route("/api/v1/tokens", json: true, [
            RouteOperation("POST", contract: .init(
                operationID: "issueToken", summary: "Get a Keystone token with a user name and password", authenticated: false,
                requestBody: ["$ref": "#/components/schemas/Credentials"],
                success: .init(status: 201, description: "A token", schema: ["$ref": "#/components/schemas/Token"]),
                errors: [401, 503])) { app, request, _ throws(APIError) in try await app.issueToken(request) },
        ]),
        Route("/api/v1/components", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "listComponents", summary: "The component catalog", authenticated: false,
                success: .init(status: 200, description: "Components", schema: ["$ref": "#/components/schemas/ComponentList"]))) { app, request, _ in
                app.components(request)
            },
        ]),
        Route("/api/v1/images", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "listImages", summary: "Images of the project",
                success: .init(status: 200, description: "Images", schema: OpenAPIDocument.inventoryList("images")))) { app, request, _ throws(APIError) in
                try await app.images(request)
            },
        ]),
        Route("/api/v1/flavors", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "listFlavors", summary: "Flavors of the project",
                success: .init(status: 200, description: "Flavors", schema: OpenAPIDocument.inventoryList("flavors")))) { app, request, _ throws(APIError) in
                try await app.flavors(request)
            },
        ]),
        Route("/api/v1/networks", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "listNetworks", summary: "Networks of the project",
                success: .init(status: 200, description: "Networks", schema: OpenAPIDocument.inventoryList("networks")))) { app, request, _ throws(APIError) in
                try await app.networks(request)
            },
        ]),
        Route("/api/v1/plan", json: true, [
            RouteOperation("POST", contract: .init(
                operationID: "planCluster",
                summary: "Plan a cluster without creating it: components and why, ports, resource totals, the Heat template",
                parameters: [.init(name: "format", description: "The template's format (default yaml)", schema: ["type": "string", "enum": ["yaml", "json"]])],
                requestBody: ["$ref": "#/components/schemas/ClusterSpec"],
                success: .init(status: 200, description: "The plan", schema: ["$ref": "#/components/schemas/Plan"]),
                errors: [400])) { app, request, _ throws(APIError) in try await app.plan(request) },
        ]),
        Route("/api/v1/clusters", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "listClusters", summary: "The project's clusters, oldest first, in pages",
                parameters: [
                    .init(name: "limit", description: "Clusters per page, 1…\(ClusterPage.maxLimit) (default \(ClusterPage.maxLimit))",
                          schema: ["type": "integer", "minimum": 1, "maximum": .int(ClusterPage.maxLimit)]),
                    .init(name: "marker", description: "The id of the last cluster of the previous page", schema: ["$ref": "#/components/schemas/ClusterID"]),
                    .init(name: "state", description: "Only clusters in these states", schema: [
                        "type": "array", "minItems": 1, "items": ["$ref": "#/components/schemas/ClusterState"],
                    ], commaSeparated: true),
                ],
                success: .init(status: 200, description: "Clusters; `next` is the next page's path when there are more",
                               schema: ["$ref": "#/components/schemas/ClusterList"]),
                errors: [404])) { app, request, _ throws(APIError) in
                try await app.listClusters(request)
            },
            RouteOperation("POST", contract: .init(
                operationID: "createCluster", summary: "Create a cluster",
                description: "403 when the project has as many clusters as [disco] max_clusters_per_project allows; 429 with "
                    + "Retry-After when it created as many as [disco] creates_per_minute allows in the last minute; 400 (naming "
                    + "the resource) when the project's quota cannot hold the cluster beside its clusters still being created.",
                requestBody: ["$ref": "#/components/schemas/ClusterSpec"],
                success: .init(status: 201, description: "Accepted and recorded; it is created in the background",
                               schema: ["$ref": "#/components/schemas/Cluster"], headers: ["Location": "The cluster's path"],
                               linksToIDOperations: ["getCluster", "deleteCluster", "actOnCluster", "listClusterEvents", "getClusterPasswords", "getClusterKey"]),
                errors: [400, 403, 409, 429])) { app, request, _ throws(APIError) in try await app.createCluster(request) },
        ]),
        Route("/api/v1/clusters/{id}", json: true, [
            RouteOperation("GET", quickRead: true, contract: .init(
                operationID: "getCluster", summary: "One cluster",
                success: .init(status: 200, description: "The cluster", schema: ["$ref": "#/components/schemas/Cluster"]),
                errors: [404])) { app, request, parameters throws(APIError) in try await app.getCluster(request, id: parameters["id"] ?? "") },
            RouteOperation("DELETE", contract: .init(
                operationID: "deleteCluster", summary: "Delete a cluster (in the background, retried until the stack is gone)",
                success: .init(status: 202, description: "Deleting", schema: ["$ref": "#/components/schemas/Cluster"]),
                errors: [404, 409])) { app, request, parameters throws(APIError) in try await app.deleteCluster(request, id: parameters["id"] ?? "") },
        ]),
        Route("/api/v1/clusters/{id}/actions", json: true, [
            RouteOperation("POST", contract: .init(
                operationID: "actOnCluster", summary: "Suspend, resume, scale, or check health now (a read of the health document; Heat's stack check is not run)",
                requestBody: ["$ref": "#/components/schemas/ClusterAction"],
                success: .init(status: 202, description: "Started", schema: ["$ref": "#/components/schemas/Cluster"]),
                errors: [400, 404, 409])) { app, request, parameters throws(APIError) in try await app.clusterAction(request, id: parameters["id"] ?? "") },
        ]),
        Route("/api/v1/clusters/{id}/events", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "listClusterEvents", summary: "What happened to the cluster, oldest first",
                success: .init(status: 200, description: "Events", schema: ["$ref": "#/components/schemas/EventList"]),
                errors: [404])) { app, request, parameters throws(APIError) in try await app.clusterEvents(request, id: parameters["id"] ?? "") },
        ]),
        Route("/api/v1/clusters/{id}/passwords", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "getClusterPasswords", summary: "Passwords DISCO generated for secret properties the create left out, by component.property",
                success: .init(status: 200, description: "Generated passwords", schema: ["$ref": "#/components/schemas/GeneratedPasswords"]),
                errors: [404])) { app, request, parameters throws(APIError) in try await app.clusterPasswords(request, id: parameters["id"] ?? "") },
        ]),
        Route("/api/v1/clusters/{id}/ssh-key", json: true, [
            RouteOperation("GET", contract: .init(
                operationID: "getClusterKey", summary: "The cluster's SSH private key",
                success: .init(status: 200, description: "OpenSSH private key", mediaType: "text/plain", schema: ["type": "string"]),
                errors: [404])) { app, request, parameters throws(APIError) in try await app.clusterKey(request, id: parameters["id"] ?? "") },
        ]),
        Route("/healthz", [
            RouteOperation("GET") { app, request, _ throws(APIError) in try await app.health(request) },
        ]),
        Route("/metrics", [
            RouteOperation("GET") { app, request, _ throws(APIError) in try await app.metricsPage(request) },
        ]),
        Route("/dashboard/{path*}", [
            RouteOperation("GET") { app, request, parameters throws(APIError) in
                try app.dashboard.serve(request, relativePath: parameters["path"] ?? "")
            },
        ]),
    ])

    /// `GET /-/` (and its well-known alias): the OCCI query interface.
    private static let occiQuery = [
        RouteOperation("GET") { app, request, _ throws(APIError) in try await app.occiQuery(request) },
    ]
}
