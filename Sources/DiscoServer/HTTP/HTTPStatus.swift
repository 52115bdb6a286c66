import Foundation
import Glibc

/// Status reason phrases and cached status lines.
enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }

    private static let common: [Int: [UInt8]] = {
        var d: [Int: [UInt8]] = [:]
        for s in [200, 201, 202, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 408, 409, 413, 414, 415, 417, 422, 431, 500, 501, 503, 504, 505] {
            d[s] = Array("HTTP/1.1 \(s) \(reason(s))\r\n".utf8)
        }
        return d
    }()

    static func statusLine(_ status: Int) -> [UInt8] {
        if let line = common[status] { return line }
        let s = (100...999).contains(status) ? status : 500
        return Array("HTTP/1.1 \(s) \(reason(s))\r\n".utf8)
    }
}
