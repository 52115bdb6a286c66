import DiscoCore
import Foundation
import Testing

/// The nodes' read-only HTTP services (`serve.py`, written by the base component's script) run here on loopback: the
/// files directly in its directories by name and nothing else, no versions in its headers, and a root-only
/// directory's files (the master's internal SSH key) only to a peer on a port below 1024 and never in the listing.
@Suite struct NodeServiceScriptTests {
    @Test func servesItsFilesByNameAndNothingElse() async throws {
        let base = try #require(try ComponentCatalog.builtIn()["base"]?.fragments[.all])
        let start = try #require(base.range(of: "/serve.py <<'PY'\n"))
        let end = try #require(base.range(of: "\nPY\n", range: start.upperBound..<base.endIndex))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disco-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try String(base[start.upperBound..<end.lowerBound]).write(toFile: root + "/serve.py", atomically: true, encoding: .utf8)
        let output = try await runBash("""
            R=\(ShellQuoting.quote(root))
            mkdir -p "$R/www/sub" "$R/key"
            echo '{"components":{}}' >"$R/www/progress.json"; echo hidden >"$R/www/.hidden"; echo log >"$R/deployment.log"
            ln -s ../deployment.log "$R/www/link"; echo 'the key' >"$R/key/id_ed25519"
            python3 "$R/serve.py" 0 127.0.0.1 "$R/key" "$R/www" </dev/null >"$R/out" 2>"$R/err" & pid=$!
            # SIGKILL: the test process may pass SIGTERM on blocked.
            trap 'kill -KILL $pid' EXIT
            for _ in $(seq 100); do grep -q 'serving on port' "$R/out" && break; sleep 0.1; done
            u=http://127.0.0.1:$(sed -n 's/^serving on port //p' "$R/out")
            code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
            echo "progress $(code "$u/progress.json") $(curl -s "$u/progress.json")"
            echo "refused $(code "$u/deployment.log") $(code --path-as-is "$u/../deployment.log") $(code "$u/%2e%2e%2fdeployment.log") $(code "$u/.hidden") $(code "$u/sub") $(code "$u/link") $(code "$u/nothing")"
            echo "index $(curl -s "$u/" | tr -d '\\n')"
            echo "header $(curl -sI "$u/progress.json" | tr -d '\\r' | grep -i '^server:')"
            echo "post $(code -X POST "$u/progress.json")"
            echo "key from an unprivileged port $(code --local-port 40000-40999 "$u/id_ed25519")"
            if [ "$(id -u)" = 0 ]; then echo "key from a privileged port $(code --local-port 600-1023 "$u/id_ed25519") $(curl -s --local-port 600-1023 "$u/id_ed25519")"; fi
            """)
        #expect(output.contains("progress 200 {\"components\":{}}\n"), "\(output)")
        #expect(output.contains("refused 404 404 404 404 404 404 404\n"), "\(output)")
        let index = output.split(separator: "\n").first { $0.hasPrefix("index ") } ?? ""
        #expect(index.contains("progress.json") && !index.contains("id_ed25519"), "\(index)")
        #expect(output.contains("header Server: disco\n"), "\(output)")
        #expect(output.contains("post 501\n"), "\(output)")
        #expect(output.contains("key from an unprivileged port 403\n"), "\(output)")
        if getuid() == 0 {
            #expect(output.contains("key from a privileged port 200 the key\n"), "\(output)")
        }
    }
}
