import Foundation

/// One path of the service: its template (also the metrics label), and what each method does there.
///
/// A template is `/`-separated literal segments and `{name}` parameters, each matching one non-empty segment;
/// a final `{name*}` matches the rest of the path, possibly empty. Empty segments of a request path are ignored
/// (`//disco//abc/` is `/disco/abc`).
struct Route: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    let template: String
    let segments: [Segment]
    let operations: [RouteOperation]
    /// Errors on this path are JSON (`true`, the REST API) or plain text.
    let answersJSON: Bool

    init(_ template: String, json: Bool = false, _ operations: [RouteOperation]) {
        self.template = template
        self.segments = template.split(separator: "/").map { part in
            if part.hasPrefix("{") && part.hasSuffix("*}") { return .rest(String(part.dropFirst().dropLast(2))) }
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        self.operations = operations
        self.answersJSON = json
    }

    /// The methods served here, `HEAD` wherever `GET` is, in declaration order (the `Allow` header).
    var allowedMethods: [String] {
        var methods: [String] = []
        for operation in operations {
            methods.append(operation.method)
            if operation.method == "GET" && !operations.contains(where: { $0.method == "HEAD" }) { methods.append("HEAD") }
        }
        return methods
    }

    /// The operation for `method` (`HEAD` served by `GET`'s when not declared).
    func operation(for method: String) -> RouteOperation? {
        operations.first { $0.method == method }
            ?? (method == "HEAD" ? operations.first { $0.method == "GET" } : nil)
    }

    /// Whether `path` matches, compared in place (no allocation: this runs for every request on the event loop).
    func matches(_ path: String) -> Bool {
        var index = 0
        var position = path.utf8.startIndex
        let end = path.utf8.endIndex
        while position < end {
            let next = path.utf8[position...].firstIndex(of: UInt8(ascii: "/")) ?? end
            if next > position {
                guard index < segments.count else { return false }
                switch segments[index] {
                case let .literal(text):
                    guard path.utf8[position..<next].elementsEqual(text.utf8) else { return false }
                case .parameter:
                    break
                case .rest:
                    return true
                }
                index += 1
            }
            position = next < end ? path.utf8.index(after: next) : next
        }
        if index == segments.count { return true }
        if index == segments.count - 1, case .rest = segments[index] { return true }
        return false
    }

    /// The values of the template's parameters in `path` (which ``matches(_:)``), by name; a rest parameter is the
    /// remaining segments joined with `/`.
    func parameters(in path: String) -> [String: String] {
        let parts = path.split(separator: "/")
        var values: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal: continue
            case let .parameter(name): values[name] = index < parts.count ? String(parts[index]) : ""
            case let .rest(name): values[name] = parts.dropFirst(index).joined(separator: "/")
            }
        }
        return values
    }
}

/// What one method of a ``Route`` does.
struct RouteOperation: Sendable {
    typealias Handler = @Sendable (DiscoApplication, HTTPServerRequest, [String: String]) async throws(APIError) -> HTTPServerResponse

    let method: String
    /// Bounded work (one record, its cached rendering) that never blocks: may run on the HTTP event-loop thread.
    let isQuickRead: Bool
    /// How the operation is described in the OpenAPI document (`nil`: not part of the REST API).
    let contract: OperationContract?
    let handler: Handler

    init(_ method: String, quickRead: Bool = false, contract: OperationContract? = nil, _ handler: @escaping Handler) {
        self.method = method
        self.isQuickRead = quickRead
        self.contract = contract
        self.handler = handler
    }
}
