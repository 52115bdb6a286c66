public import Foundation

extension OCCIParser {
    /// Parses the OCCI structures of a request whose body is `Data` (decoded as UTF-8).
    public func parseRequest(headers: [(String, String)], body: Data, contentType: String?) throws(OCCIParseError) -> OCCIRequestBody {
        try parseRequest(headers: headers, body: [UInt8](body), contentType: contentType)
    }
}
