import Foundation

/// The dashboard's static files (HTML, CSS, JavaScript), shipped as resources and served from memory.
struct DashboardFiles: Sendable {
    private let files: [String: (data: Data, type: String)]

    init(root: URL? = Bundle.module.url(forResource: "static", withExtension: nil)) {
        var files: [String: (Data, String)] = [:]
        if let root, let names = try? FileManager.default.subpathsOfDirectory(atPath: root.path) {
            for name in names {
                let url = root.appendingPathComponent(name)
                guard let data = try? Data(contentsOf: url), !url.hasDirectoryPath else { continue }
                files[name] = (data, Self.type(of: name))
            }
        }
        self.files = files
    }

    static func type(of name: String) -> String {
        switch (name as NSString).pathExtension {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }

    func serve(_ request: HTTPServerRequest, relativePath: String) throws(APIError) -> HTTPServerResponse {
        guard request.method == "GET" || request.method == "HEAD" else { throw .methodNotAllowed(request.method, allowed: ["GET", "HEAD"]) }
        if relativePath.isEmpty && !request.path.hasSuffix("/") {
            return HTTPServerResponse(status: 301, headers: ["Location": "/dashboard/"])
        }
        let name = relativePath.isEmpty ? "index.html" : relativePath
        guard let file = files[name] else { throw .notFound("no dashboard file \(name.prefix(100))") }
        return HTTPServerResponse(status: 200, headers: [
            "Content-Type": file.type, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
            "Referrer-Policy": "no-referrer",
        ], body: file.data)
    }
}
