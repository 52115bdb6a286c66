import DiscoCore
import Foundation
import Testing
@testable import DiscoServer

@Suite struct ClusterPageTests {
    let ids = (0..<7).map { "id-\($0)" }

    func request(_ query: String) -> HTTPServerRequest {
        HTTPServerRequest(method: "GET", target: "/api/v1/clusters?" + query)
    }

    @Test func pagesWalkTheWholeListingOnceInOrder() throws {
        var seen: [String] = []
        var query = "limit=3"
        var pages = 0
        while true {
            let (page, next) = try ClusterPage(request(query)).apply(to: ids)
            seen += page
            pages += 1
            guard let next else { break }
            #expect(next.hasPrefix("/api/v1/clusters?limit=3&marker="))
            query = String(next.split(separator: "?", maxSplits: 1)[1])
        }
        #expect(seen == ids)
        #expect(pages == 3)
    }

    @Test func withoutParametersEverythingUpToTheMaximumAndNoNextLink() throws {
        let (page, next) = try ClusterPage(request("")).apply(to: ids)
        #expect(page == ids)
        #expect(next == nil)
        let many = (0..<(ClusterPage.maxLimit + 5)).map { "m-\($0)" }
        let (first, link) = try ClusterPage(request("")).apply(to: many)
        #expect(first.count == ClusterPage.maxLimit)
        #expect(link == "/api/v1/clusters?limit=1000&marker=m-999")
    }

    @Test func theStateFilterIsParsedAndKeptInTheNextLink() throws {
        let page = try ClusterPage(request("state=ready,failed&limit=2"))
        #expect(page.states == [.ready, .failed])
        let (first, next) = try page.apply(to: ["id-1", "id-3", "id-5"])
        #expect(first == ["id-1", "id-3"])
        #expect(next == "/api/v1/clusters?limit=2&marker=id-3&state=failed,ready")
    }

    @Test(arguments: [
        ("limit=0", 400, "limit: '0' is not a page size; use 1…1000"),
        ("limit=1001", 400, "limit: '1001' is not a page size; use 1…1000"),
        ("limit=ten", 400, "limit: 'ten' is not a page size; use 1…1000"),
        ("state=readyish", 400, "state: 'readyish' is not a cluster state; use accepted, provisioning"),
        ("state=", 400, "state: '' is not a cluster state; use accepted, provisioning"),
        ("state=ready,", 400, "state: '' is not a cluster state; use accepted, provisioning"),
        ("marker=nope", 404, "marker: 'nope' is not a cluster of this listing; use the id of the last cluster of the previous page"),
    ])
    func badParametersAreNamedWithWhatIsAccepted(query: String, status: Int, message: String) {
        do {
            _ = try ClusterPage(request(query)).apply(to: ids)
            Issue.record("\(query) was accepted")
        } catch {
            #expect(error.status == status)
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}
