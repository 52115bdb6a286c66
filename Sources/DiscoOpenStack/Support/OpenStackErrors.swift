public import DiscoCore
import Foundation

/// Turns OpenStack error responses into ``DiscoCore/CloudError``s with a readable reason.
///
/// Understands the error bodies of the services DISCO calls:
/// - Keystone: `{"error": {"message", "code", "title"}}`
/// - Heat: `{"explanation", "code", "title", "error": {"message", "type", "traceback"}}`
/// - Nova: `{"forbidden": {"message", "code"}}`, `{"badRequest": …}`, `{"itemNotFound": …}`, `{"overLimit": …}`
/// - Neutron: `{"NeutronError": {"type", "message", "detail"}}`
/// - Glance and proxies: HTML or plain text.
public enum OpenStackErrors {
    /// The error for an HTTP error `response` from `service`.
    public static func cloudError(service: String, response: HTTPResponse) -> CloudError {
        let (reason, type) = reason(of: response)
        var message = reason
        if service == "orchestration", response.status >= 500, namesKeystone(reason: reason, type: type) {
            message += "; Heat's own call to Keystone (identity) failed, check Keystone"
        }
        return CloudError(kind(status: response.status, reason: reason, type: type), service: service,
                          status: response.status, message: message)
    }

    /// Whether a Heat error names Keystone as what failed behind it: keystoneauth's identity-only failures, or a
    /// reason that mentions Keystone or its token and trust paths (Heat quotes the URL it could not reach).
    static func namesKeystone(reason: String, type: String?) -> Bool {
        if let type, ["DiscoveryFailure", "AuthorizationFailure"].contains(type) { return true }
        let lower = reason.lowercased()
        return ["keystone", "identity", "/auth/tokens", "os-trust"].contains { lower.contains($0) }
    }

    /// The kind for an HTTP status and the service's reason.
    public static func kind(status: Int, reason: String, type: String? = nil) -> CloudError.Kind {
        // Heat passes on Keystone's refusal (as a 500 or a 403) when it makes or deletes a stack's trust.
        if status >= 400, reason.localizedCaseInsensitiveContains("cannot manage trusts") { return .trustRefused }
        if isQuota(reason: reason, type: type) && (status == 403 || status == 413 || status == 409 || status == 400) {
            return .quotaExceeded
        }
        switch status {
        case 400, 405, 406, 415, 422: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 409: return .conflict
        case 413: return reason.lowercased().contains("too large") ? .badRequest : .quotaExceeded
        case 408, 429, 500...599: return .unavailable
        default: return .invalidResponse
        }
    }

    /// Whether a reason or error type says a quota or limit was hit.
    public static func isQuota(reason: String, type: String? = nil) -> Bool {
        let lower = reason.lowercased()
        if lower.contains("quota") { return true }
        if let type, ["OverQuota", "OverLimit", "QuotaExceeded"].contains(type) { return true }
        return false
    }

    /// The readable reason and, when given, the error type of an error response.
    static func reason(of response: HTTPResponse) -> (String, String?) {
        if let json = try? JSONValue.parse(response.body) {
            if let neutron = json["NeutronError"] {
                if let message = neutron["message"]?.stringValue { return (message, neutron["type"]?.stringValue) }
                if let text = neutron.stringValue { return (text, nil) }
            }
            if let error = json["error"], let message = error["message"]?.stringValue, !message.isEmpty {
                let type = error["type"]?.stringValue
                return (message, type)
            }
            if let error = json["error"]?.stringValue { return (error, nil) }
            if let explanation = json["explanation"]?.stringValue, !explanation.isEmpty { return (explanation, nil) }
            if case .object(let object) = json, object.count == 1, let (key, value) = object.first,
               let message = value["message"]?.stringValue {
                return (message, key) // Nova: {"forbidden": {"message": …, "code": 403}}
            }
            if let message = json["message"]?.stringValue { return (message, json["type"]?.stringValue) }
        }
        var text = response.text
        if text.contains("<") {
            text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        }
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if text.isEmpty { text = "HTTP \(response.status) with an empty body" }
        return (String(text.prefix(300)), nil)
    }
}
