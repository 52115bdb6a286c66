import Foundation
import Testing
@testable import DiscoCore

/// First-boot apt: while another apt (cloud-init's, unattended-upgrades) holds the lists lock, `apt-get update`
/// exits 100 at once whatever `DPkg::Lock::Timeout` says; the prelude retries with growing pauses until a deadline.
@Suite struct PreludeAptTests {
    /// An `apt-get` that fails like a held lists lock `$FAILS` times, then succeeds; it records every call.
    static let lockedAptGet = """
        n=$(cat "$T/count" 2>/dev/null || echo 0)
        echo $((n + 1)) >"$T/count"
        echo "$*" >>"$T/calls"
        if ((n < FAILS)); then
          echo "Reading package lists..."
          echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
          exit 100
        fi
        echo "Reading package lists... Done"
        """

    @Test func aptUpdateOutlastsAHeldListsLock() async throws {
        let harness = try PreludeHarness(stubs: ["apt-get": Self.lockedAptGet])
        defer { harness.remove() }
        let output = try await harness.run("disco_apt_update; echo updated", environment: ["FAILS": "2"])
        #expect(output.hasSuffix("updated\nexit=0\n"), "\(output)")
        #expect(harness.file("calls").split(separator: "\n").count == 3, "\(harness.file("calls"))")
        let log = harness.log
        #expect(log.contains("apt-get update failed (exit 100: E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)); retrying in 5 s"), "\(log)")
        #expect(log.contains("retrying in 10 s"), "\(log)")
    }

    @Test func aptGivesUpAtItsDeadlineSayingWhy() async throws {
        let harness = try PreludeHarness(stubs: ["apt-get": Self.lockedAptGet])
        defer { harness.remove() }
        // disco_die reports the failure through the wait condition; here it only says what it would report.
        let output = try await harness.run("disco_die() { echo \"died: $*\"; exit 1; }; disco_apt_update",
                                           environment: ["FAILS": "1000", "DISCO_APT_WAIT": "100"])
        #expect(output.hasSuffix("died: apt-get update failed: E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)\nexit=1\n"), "\(output)")
        // Pauses of 5, 10, 20 and 40 s fit in 100 s; the next one (60 s) would not.
        #expect(harness.file("calls").split(separator: "\n").count == 5, "\(harness.file("calls"))")
        #expect(harness.log.contains("held by process 4242 (apt-get)); giving up after 7"), "\(harness.log)")
    }

    /// A node without DNS cannot reach the archive however long it waits: it says so and stops after three minutes,
    /// not twenty.
    @Test func aNodeThatCannotResolveTheArchiveSaysSoAndGivesUpSooner() async throws {
        let unresolved = """
            echo "$*" >>"$T/calls"
            echo "Err:1 http://deb.debian.org/debian bookworm InRelease"
            echo "  Temporary failure resolving 'deb.debian.org'"
            echo "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'" >&2
            echo "E: Some index files failed to download. They have been ignored, or old ones used instead." >&2
            exit 100
            """
        let harness = try PreludeHarness(stubs: ["apt-get": unresolved])
        defer { harness.remove() }
        let output = try await harness.run("disco_die() { echo \"died: $*\"; exit 1; }; disco_apt_update")
        #expect(output.hasSuffix("died: apt-get update failed: this node cannot resolve 'deb.debian.org': no working DNS server "
                                 + "(check the DNS servers of the cluster's subnet)\nexit=1\n"), "\(output)")
        // Pauses of 5, 10, 20, 40 and 60 s fit in 180 s; the next would not (the default for other failures is 1200 s).
        #expect(harness.file("calls").split(separator: "\n").count == 6, "\(harness.file("calls"))")
    }

    @Test func aFailedInstallRefreshesTheListsBeforeTryingAgain() async throws {
        let harness = try PreludeHarness(stubs: ["apt-get": Self.lockedAptGet])
        defer { harness.remove() }
        let output = try await harness.run("disco_apt python3-venv", environment: ["FAILS": "1"])
        #expect(output.hasSuffix("exit=0\n"), "\(output)")
        let calls = harness.file("calls").split(separator: "\n").map { $0.replacingOccurrences(of: "-o DPkg::Lock::Timeout=600 ", with: "") }
        #expect(calls == ["install -yq --no-install-recommends python3-venv", "-q update",
                          "install -yq --no-install-recommends python3-venv"])
    }

    /// No fragment calls apt-get itself: every apt call goes through the retrying prelude function.
    @Test func everyFragmentUsesTheRetriedApt() throws {
        let catalog = try ComponentCatalog.builtIn()
        let direct = try Regex(#"(^|[;&|({]\s*|\s(then|do|else)\s+)apt-get\s"#).anchorsMatchLineEndings()
        for name in catalog.names {
            for (role, body) in catalog[name]!.fragments {
                #expect(!body.contains(direct), "\(name)/\(role.rawValue) calls apt-get directly; use disco_apt_update or disco_apt")
            }
        }
    }
}
