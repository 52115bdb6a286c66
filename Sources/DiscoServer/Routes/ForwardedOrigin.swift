/// The scheme and host a client used, for absolute links (OCCI `Location` and entity links): from the request's
/// `Host`, or, when the request comes from a trusted reverse proxy, from what that proxy says it received —
/// `Forwarded` (RFC 7239: its last element, the one the proxy in front of DISCO added), else `X-Forwarded-Proto` and
/// `X-Forwarded-Host` (their last values). Values that are not `http`/`https` or a plain host are ignored.
struct ForwardedOrigin: Sendable, Equatable {
    var scheme: String
    var host: String

    var baseURL: String { scheme + "://" + host }

    init(scheme: String, host: String) {
        self.scheme = scheme
        self.host = host
    }

    init(_ request: HTTPServerRequest, trusting proxies: TrustedProxies) {
        scheme = "http"
        host = request.headers["Host"].flatMap { DiscoApplication.isPlainHost($0) ? $0 : nil } ?? "localhost"
        guard proxies.contains(request.peer) else { return }
        var proto: String?
        var forwardedHost: String?
        if let forwarded = request.headers["Forwarded"], let last = forwarded.split(separator: ",").last {
            for pair in last.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                var value = parts[1].trimmingSpaces
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                switch parts[0].trimmingSpaces.lowercased() {
                case "proto": proto = value.lowercased()
                case "host": forwardedHost = value
                default: break
                }
            }
        } else {
            proto = request.headers["X-Forwarded-Proto"]?.split(separator: ",").last?.trimmingSpaces.lowercased()
            forwardedHost = request.headers["X-Forwarded-Host"]?.split(separator: ",").last?.trimmingSpaces
        }
        if let proto, proto == "http" || proto == "https" { scheme = proto }
        if let forwardedHost, DiscoApplication.isPlainHost(forwardedHost) { host = forwardedHost }
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
