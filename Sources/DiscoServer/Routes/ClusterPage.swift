import DiscoCore
import Foundation

/// One page of `GET /api/v1/clusters`: `?limit=` (1…1000, default 1000), `?marker=` (the last id of the previous page)
/// and `?state=` (comma-separated states), OpenStack style. A listing with more clusters ends with a `next` link.
struct ClusterPage {
    static let maxLimit = 1000

    var limit = ClusterPage.maxLimit
    var marker: String?
    var states: Set<ClusterState>?

    init(limit: Int = ClusterPage.maxLimit, marker: String? = nil, states: Set<ClusterState>? = nil) {
        self.limit = limit
        self.marker = marker
        self.states = states
    }

    /// The page a request asks for; a bad parameter is a 400 naming it and what is accepted.
    init(_ request: HTTPServerRequest) throws(APIError) {
        if let text = request.queryValue("limit") {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw Self.problem("limit", text, "is not a page size", accepted: "1…\(Self.maxLimit)")
            }
            limit = value
        }
        if let text = request.queryValue("marker") {
            guard !text.isEmpty else { throw Self.problem("marker", text, "is empty", accepted: "the id of the last cluster of the previous page") }
            marker = text
        }
        if let text = request.queryValue("state") {
            // Every comma-separated item is a state: an empty one (`state=`, `state=ready,`) is refused, not ignored.
            var states = Set<ClusterState>()
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let state = ClusterState(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                    throw Self.problem("state", String(name), "is not a cluster state",
                                       accepted: ClusterState.allCases.map(\.rawValue).joined(separator: ", "))
                }
                states.insert(state)
            }
            self.states = states
        }
    }

    /// The page of `ids` (the listing, in order, already filtered by ``states``) and the link to the next page, if
    /// there are more.
    func apply(to ids: [String]) throws(APIError) -> (page: [String], next: String?) {
        var start = ids.startIndex
        if let marker {
            guard let index = ids.firstIndex(of: marker) else {
                // A 404: the marker names a cluster that is not there (any more).
                throw Self.problem("marker", marker, "is not a cluster of this listing",
                                   accepted: "the id of the last cluster of the previous page", status: 404)
            }
            start = index + 1
        }
        let end = min(ids.endIndex, start + limit)
        let page = Array(ids[start..<end])
        guard end < ids.endIndex, let last = page.last else { return (page, nil) }
        var query = ["limit=\(limit)", "marker=\(last.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? last)"]
        if let states { query.append("state=" + states.map(\.rawValue).sorted().joined(separator: ",")) }
        return (page, "/api/v1/clusters?" + query.joined(separator: "&"))
    }

    private static func problem(_ name: String, _ found: String, _ problem: String, accepted: String, status: Int = 400) -> APIError {
        let shown = String(found.prefix(64))
        return APIError(status: status, message: "\(name): '\(shown)' \(problem); use \(accepted)",
                        problems: [SpecProblem(path: name, found: shown, problem: problem, accepted: accepted)])
    }
}
