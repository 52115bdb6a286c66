import DiscoCore
import Foundation
import Testing
@testable import disco_sm

@Suite struct ClusterPageTests {
    let records: [ClusterRecord] = (0..<7).map { n in
        var record = ClusterRecord(
            id: "id-\(n)", projectID: "p", projectName: "demo", userID: "u",
            spec: ClusterSpec(name: "c\(n)", master: NodeSpec(image: "i", flavor: "f"), worker: NodeSpec(image: "i", flavor: "f"),
                              workers: 1, externalNetwork: "public"),
            components: [], uiLinks: [],
            totals: ResourceTotals(instances: 2, vcpus: 2, ramMB: 2, diskGB: 2, floatingIPs: 1, networks: 1, routers: 1, securityGroups: 1),
            stackName: "disco-c\(n)", createdAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
        if n % 2 == 1 { record.state = .ready }
        return record
    }

    func request(_ query: String) -> HTTPServerRequest {
        HTTPServerRequest(method: "GET", target: "/api/v1/clusters?" + query)
    }

    @Test func pagesWalkTheWholeListingOnceInOrder() throws {
        var seen: [String] = []
        var query = "limit=3"
        var pages = 0
        while true {
            let (page, next) = try ClusterPage(request(query)).apply(to: records)
            seen += page.map(\.id)
            pages += 1
            guard let next else { break }
            #expect(next.hasPrefix("/api/v1/clusters?limit=3&marker="))
            query = String(next.split(separator: "?", maxSplits: 1)[1])
        }
        #expect(seen == records.map(\.id))
        #expect(pages == 3)
    }

    @Test func withoutParametersEverythingUpToTheMaximumAndNoNextLink() throws {
        let (page, next) = try ClusterPage(request("")).apply(to: records)
        #expect(page.count == 7)
        #expect(next == nil)
        let many = (0..<(ClusterPage.maxLimit + 5)).map { n in
            var record = records[0]
            record.id = "m-\(n)"
            return record
        }
        let (first, link) = try ClusterPage(request("")).apply(to: many)
        #expect(first.count == ClusterPage.maxLimit)
        #expect(link == "/api/v1/clusters?limit=1000&marker=m-999")
    }

    @Test func stateFilterIsKeptInTheNextLink() throws {
        let (page, next) = try ClusterPage(request("state=ready&limit=2")).apply(to: records)
        #expect(page.map(\.id) == ["id-1", "id-3"])
        #expect(next == "/api/v1/clusters?limit=2&marker=id-3&state=ready")
        let (rest, end) = try ClusterPage(request("state=ready&limit=2&marker=id-3")).apply(to: records)
        #expect(rest.map(\.id) == ["id-5"])
        #expect(end == nil)
    }

    @Test(arguments: [
        ("limit=0", "limit: '0' is not a page size; use 1…1000"),
        ("limit=1001", "limit: '1001' is not a page size; use 1…1000"),
        ("limit=ten", "limit: 'ten' is not a page size; use 1…1000"),
        ("state=readyish", "state: 'readyish' is not a cluster state; use accepted, provisioning"),
        ("marker=nope", "marker: 'nope' is not a cluster of this listing; use the id of the last cluster of the previous page"),
    ])
    func badParametersAreNamedWithWhatIsAccepted(query: String, message: String) {
        do {
            _ = try ClusterPage(request(query)).apply(to: records)
            Issue.record("\(query) was accepted")
        } catch {
            #expect(error.status == 400)
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}
