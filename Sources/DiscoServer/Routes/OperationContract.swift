import DiscoOpenStack

/// How a REST operation is described in the OpenAPI document: the route table carries it beside the handler, so the
/// document cannot describe an operation the router does not serve.
struct OperationContract: Sendable {
    /// A query parameter.
    struct Parameter: Sendable {
        var name: String
        var description: String
        var schema: JSONValue
        /// `form` with `explode: false`: one comma-separated value for an array.
        var commaSeparated = false
    }

    /// A successful answer.
    struct Success: Sendable {
        var status: Int
        var description: String
        var mediaType = "application/json"
        var schema: JSONValue
        var headers: [String: String] = [:]
        /// OpenAPI links: operation id → the path parameter `id` taken from this answer's `id`.
        var linksToIDOperations: [String] = []
    }

    var operationID: String
    var summary: String
    /// More than the summary: when the operation answers what, beyond the usual.
    var description: String?
    /// Needs `X-Auth-Token`: 401 (no or bad token), 403 (`X-Tenant-Name` of another project) and 503 (identity service
    /// unreachable) are added to ``errors``.
    var authenticated = true
    var parameters: [Parameter] = []
    /// The schema of the JSON body, when there is one (a body adds 400, 413 and 415).
    var requestBody: JSONValue?
    var success: Success
    /// Statuses of errors the operation itself answers.
    var errors: Set<Int> = []

    /// Every error status of the operation.
    var allErrors: [Int] {
        var all = errors
        if authenticated { all.formUnion([401, 403, 503]) }
        if requestBody != nil { all.formUnion([400, 413, 415]) }
        if !parameters.isEmpty { all.insert(400) }
        return all.sorted()
    }
}
