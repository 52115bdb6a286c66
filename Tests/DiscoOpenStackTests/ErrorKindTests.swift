import DiscoCore
import Testing
@testable import DiscoOpenStack

@Suite struct ErrorKindTests {
    @Test(arguments: [
        (500, "ERROR: You are not authorized to perform the requested action: Delegated tokens cannot manage trusts. (HTTP 403)",
         CloudError.Kind.trustRefused),
        (403, "Delegated tokens cannot manage trusts.", .trustRefused),
        (403, "Quota exceeded for instances", .quotaExceeded),
        (403, "Policy doesn't allow stacks:create to be performed.", .forbidden),
        (500, "Internal Server Error", .unavailable),
        (413, "Request entity too large", .badRequest),
    ])
    func statusAndReasonGiveTheKind(status: Int, reason: String, kind: CloudError.Kind) {
        #expect(OpenStackErrors.kind(status: status, reason: reason) == kind)
    }
}
