import DiscoCore
import Foundation
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

/// A Heat 500 says which service failed: Heat itself, or Keystone behind it when Heat's body names Keystone.
@Suite struct HeatServerErrorTests {
    static func heat500(message: String, type: String) -> HTTPResponse {
        let body = #"{"explanation": "The server has either erred or is incapable of performing the requested operation.", "code": 500, "#
            + #""error": {"message": "\#(message)", "traceback": null, "type": "\#(type)"}, "title": "Internal Server Error"}"#
        return HTTPResponse(status: 500, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
    }

    @Test(arguments: [
        ("Unable to establish connection to http://127.0.0.1:5000/v3/auth/tokens: [Errno 111] ECONNREFUSED", "ConnectFailure"),
        ("Could not find versioned identity endpoints when attempting to authenticate.", "DiscoveryFailure"),
        ("Authorization failed.", "AuthorizationFailure"),
    ])
    func aKeystoneFailureBehindHeatIsNamed(message: String, type: String) {
        let error = OpenStackErrors.cloudError(service: "orchestration", response: Self.heat500(message: message, type: type))
        #expect(error.kind == .unavailable)
        #expect(error.description.hasPrefix("orchestration (Heat) answered HTTP 500: \(message)"), "\(error.description)")
        #expect(error.description.hasSuffix("Heat's own call to Keystone (identity) failed, check Keystone"), "\(error.description)")
    }

    @Test func heatsOwnFailureDoesNotBlameKeystone() {
        let error = OpenStackErrors.cloudError(service: "orchestration",
                                               response: Self.heat500(message: "Remote error: DBConnectionError", type: "DBConnectionError"))
        #expect(error.description == "orchestration (Heat) answered HTTP 500: Remote error: DBConnectionError")
    }
}
