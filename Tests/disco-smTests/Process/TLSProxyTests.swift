import Foundation
import Testing

/// disco-sm behind Debian's nginx terminating TLS with a throwaway CA (scripts/tls-proxy.sh, with the built binaries):
/// the seed README's curl sequence and disco-cli over https, every link under the https origin, and forwarded headers
/// from a peer disco-sm does not trust changing nothing.
@Suite struct TLSProxyTests {
    static let tools = ["/usr/sbin/nginx", "/usr/bin/openssl", "/usr/bin/curl", "/usr/bin/jq", "/usr/bin/python3", "/usr/bin/unshare"]
    static let available = tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.timeLimit(.minutes(3)),
          .enabled(if: available, "needs nginx, openssl, curl, jq, python3 and unshare (apt-get install nginx openssl curl jq)"))
    func nginxWithAThrowawayCAInFrontOfDiscoSM() async throws {
        let script = ServerProcess.repositoryRoot.appendingPathComponent("scripts/tls-proxy.sh").path
        let (status, output) = try await runCommand("/bin/bash", [script, ServerProcess.binaries.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("TLS proxy checks passed"), "\(output)")
    }
}
