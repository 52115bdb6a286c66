import DiscoCore
@testable import DiscoOpenStack
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing

/// The real OpenStack started by `scripts/openstack/up.sh` (Keystone, Heat, Nova with the fake driver, Neutron,
/// Glance, Placement on 127.0.0.1).
///
/// The integration tests run when `DISCO_OPENSTACK_OPENRC` names the openrc (`up.sh` writes
/// `/etc/disco-openstack/demo-openrc.sh`, which sets it), or when that file exists and Keystone answers on
/// 127.0.0.1:5000. Otherwise they are skipped, with the reason shown.
enum RealCloud {
    static let defaultOpenRC = "/etc/disco-openstack/demo-openrc.sh"
    static let skipReason: Comment = "no real OpenStack here: run scripts/openstack/up.sh, then DISCO_OPENSTACK_OPENRC=/etc/disco-openstack/demo-openrc.sh swift test"

    static let openRC: String? = {
        if let path = ProcessInfo.processInfo.environment["DISCO_OPENSTACK_OPENRC"], !path.isEmpty { return path }
        if FileManager.default.isReadableFile(atPath: defaultOpenRC), portOpen(5000) { return defaultOpenRC }
        return nil
    }()

    static var isUp: Bool { openRC != nil }

    /// `DISCO_RECORD_FIXTURES=1`: the recording tests rewrite `Fixtures/openstack/` from the real services.
    static var recording: Bool { ProcessInfo.processInfo.environment["DISCO_RECORD_FIXTURES"] == "1" }

    /// The `OS_*` variables of the openrc.
    static func variables() throws -> [String: String] {
        let path = try #require(openRC)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("export ") { trimmed.removeFirst(7) }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            var value = String(trimmed[trimmed.index(after: equals)...])
            if let hash = value.range(of: "   #") { value = String(value[..<hash.lowerBound]) }
            result[String(trimmed[..<equals])] = value.trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    static func options() throws -> OpenStackAuthOptions {
        let path = try #require(openRC)
        return try #require(OpenStackAuthOptions.fromOpenRC(try String(contentsOfFile: path, encoding: .utf8)))
    }

    /// User, password and project of the openrc.
    static func user() throws -> (name: String, password: String, project: String) {
        let v = try variables()
        return (try #require(v["OS_USERNAME"]), try #require(v["OS_PASSWORD"]), try #require(v["OS_PROJECT_NAME"]))
    }

    static func configuration() -> OpenStackClientConfiguration {
        OpenStackClientConfiguration(region: "RegionOne", retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.5))
    }

    static func provider(transport: any HTTPTransport = URLSessionTransport()) throws -> OpenStackCloudProvider {
        OpenStackCloudProvider(options: try options(), transport: transport, configuration: configuration())
    }

    /// A password-authenticated session for the openrc's user.
    static func cloud(transport: any HTTPTransport = URLSessionTransport()) throws -> OpenStackCloud {
        let options = try options()
        return try provider(transport: transport).cloud(auth: options.method)
    }

    static func portOpen(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Runs `body` with a recording transport and writes the fixture when recording; otherwise a plain transport.
    static func record<T>(_ fixture: String, _ description: String, _ body: (any HTTPTransport) async throws -> T) async throws -> T {
        guard recording, !fixture.isEmpty else { return try await body(URLSessionTransport()) }
        let recorder = RecordingTransport(wrapping: URLSessionTransport())
        defer { try? recorder.write(to: FixtureTransport.directory.appendingPathComponent("real/" + fixture), description: description) }
        return try await body(recorder)
    }
}
