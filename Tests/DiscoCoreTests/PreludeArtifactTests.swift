import Foundation
import Testing
@testable import DiscoCore

/// One download per cluster: the master fetches each artefact from the mirror once and verifies it (`disco_prefetch`),
/// the workers copy the master's verified copy and check it again (`disco_artifact`), and a worker whose master cannot
/// provide it stops with a reason instead of waiting for ever.
@Suite struct PreludeArtifactTests {
    /// A `curl` that answers from directories: `$T/mirror` for the mirror (http://mirror.test/), `$T/served` for the
    /// master's port 8086 (refusing the connection, exit 7, while `$T/served` does not exist), and file:// URLs. It
    /// logs "URL" for every request to `$T/requests`, honours -o and -f and ignores the other options.
    static let curl = """
        out='' url=''
        while (($#)); do
          case $1 in
            -o) out=$2; shift ;;
            -Y|-y|--retry|--retry-delay|--speed-limit|--speed-time|--max-time|--local-port) shift ;;
            -*) ;;
            *) url=$1 ;;
          esac
          shift
        done
        echo "$url" >>"$T/requests"
        case $url in
          http://mirror.test/*) file=$T/mirror/${url#http://mirror.test/} ;;
          http://10.9.0.1:8086/*) [[ -d $T/served ]] || exit 7; file=$T/served/${url#http://10.9.0.1:8086/} ;;
          file://*) file=${url#file://} ;;
          *) exit 6 ;;
        esac
        [[ -f $file ]] || exit 22
        if [[ -n $out ]]; then cp "$file" "$out"; else cat "$file"; fi
        """

    /// The harness with a mirror holding `flink/f.tgz` and `hadoop/h.tgz` and their published `.sha512` files, the
    /// cluster variables of a master at 10.9.0.1 and `$DISCO_ART` below `$T`.
    static func cluster(role: NodeRole) throws -> (PreludeHarness, String) {
        let harness = try PreludeHarness(stubs: ["curl": curl], role: role)
        let setup = """
            mkdir -p "$T/mirror/flink" "$T/mirror/hadoop" "$T/art/pub" "$T/art/tmp" "$T/cache"
            echo 'flink bytes' >"$T/mirror/flink/f.tgz"; echo 'hadoop bytes' >"$T/mirror/hadoop/h.tgz"
            for f in flink/f.tgz hadoop/h.tgz; do (cd "$T/mirror" && sha512sum "$f" >"$f.sha512"); done
            DISCO_MIRROR=http://mirror.test DISCO_CHECKSUM_BASE=http://mirror.test DISCO_ART=$T/art DISCO_MASTER_IP=10.9.0.1
            DISCO_DL_FLINK_PATH=flink/f.tgz DISCO_DL_FLINK_SHA512='' DISCO_DL_HADOOP_PATH=hadoop/h.tgz DISCO_DL_HADOOP_SHA512=''
            disco_die() { echo "died: $*"; exit 1; }
            sum() { sha512sum "$1" | cut -d' ' -f1; }

            """
        return (harness, setup)
    }

    @Test func theMasterFetchesEachArtefactOnceAndKeepsItsVerifiedChecksum() async throws {
        let (harness, setup) = try Self.cluster(role: .master)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            disco_prefetch & DISCO_PREFETCH=$!
            disco_artifact flink "$T/cache/f.tgz"
            ls "$T/art/pub"
            [[ $(cat "$T/art/pub/f.tgz.sha512") == $(sum "$T/mirror/flink/f.tgz") ]] && echo "checksum kept"
            (disco_prefetch)
            cmp "$T/cache/f.tgz" "$T/mirror/flink/f.tgz" && echo linked
            """)
        #expect(output.hasSuffix("f.tgz\nf.tgz.sha512\nh.tgz\nh.tgz.sha512\nchecksum kept\nlinked\nexit=0\n"), "\(output)")
        // One request for each artefact and one for each published checksum; a second run and the master's own use
        // ask nothing more of the mirror.
        let requests = harness.file("requests").split(separator: "\n").filter { $0.hasPrefix("http://mirror.test/") }
        #expect(requests.sorted() == ["http://mirror.test/flink/f.tgz", "http://mirror.test/flink/f.tgz.sha512",
                                      "http://mirror.test/hadoop/h.tgz", "http://mirror.test/hadoop/h.tgz.sha512"])
    }

    @Test func aPinnedChecksumIsUsedWithoutAskingTheMirror() async throws {
        let (harness, setup) = try Self.cluster(role: .master)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            DISCO_DL_FLINK_SHA512=$(sum "$T/mirror/flink/f.tgz")
            (disco_prefetch); ls "$T/art/pub"
            """)
        #expect(output.hasSuffix("f.tgz\nf.tgz.sha512\nh.tgz\nh.tgz.sha512\nexit=0\n"), "\(output)")
        #expect(!harness.file("requests").contains("flink/f.tgz.sha512"), "\(harness.file("requests"))")
    }

    /// A wrong checksum: nothing reaches the served directory, a .failed file says why, and the master's own
    /// install stops with that reason.
    @Test func aWrongChecksumIsRefusedAndTheMasterSaysWhy() async throws {
        let (harness, setup) = try Self.cluster(role: .master)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            printf '%0128d  f.tgz\\n' 0 >"$T/mirror/flink/f.tgz.sha512"
            disco_prefetch & DISCO_PREFETCH=$!
            wait; ls "$T/art/pub" "$T/art/tmp"
            disco_artifact flink "$T/cache/f.tgz"
            """)
        #expect(output.contains("f.tgz.failed\nh.tgz\nh.tgz.sha512\n"), "\(output)")
        #expect(!output.contains("\nf.tgz\n"), "\(output)")
        #expect(output.hasSuffix("died: http://mirror.test/flink/f.tgz: download failed or SHA-512 mismatch\nexit=1\n"), "\(output)")
        #expect(harness.log.contains("download 3 of http://mirror.test/flink/f.tgz failed or its SHA-512 is not 000"), "\(harness.log)")
    }

    @Test func aWorkerCopiesTheMastersCopyAndChecksItAgain() async throws {
        let (harness, setup) = try Self.cluster(role: .workers)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            mkdir "$T/served"; cp "$T/mirror/flink/f.tgz" "$T/served/"; sum "$T/served/f.tgz" >"$T/served/f.tgz.sha512"
            disco_artifact flink "$T/cache/f.tgz"; cmp "$T/cache/f.tgz" "$T/mirror/flink/f.tgz" && echo copied
            echo 'corrupted' >"$T/served/f.tgz"
            disco_artifact flink "$T/cache/g.tgz"
            """)
        #expect(output.contains("copied\n"), "\(output)")
        #expect(output.contains("died: the master's copy of f.tgz has another SHA-512 than "), "\(output)")
        #expect(!harness.file("requests").contains("mirror.test"), "a worker asked the mirror: \(harness.file("requests"))")
    }

    /// A worker that asks before the master has the artefact waits, saying what it waits for, and takes it when it
    /// comes; one whose master never answers stops at its deadline with the reason.
    @Test func aWorkerWaitsForTheMasterWithinItsDeadline() async throws {
        let (harness, setup) = try Self.cluster(role: .workers)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            sleep() { SECONDS=$((SECONDS + ${1%.*})); ((SECONDS < 70)) || { mkdir -p "$T/served"; ((SECONDS < 130)) || { cp "$T/mirror/hadoop/h.tgz" "$T/served/"; sum "$T/served/h.tgz" >"$T/served/h.tgz.sha512"; }; }; }
            disco_artifact hadoop "$T/cache/h.tgz"; echo "took it after $SECONDS s"
            DISCO_ARTIFACT_WAIT=10 disco_artifact flink "$T/cache/f.tgz"
            """)
        #expect(output.contains("took it after 13"), "\(output)")
        #expect(output.hasSuffix("died: f.tgz: not provided by the master within 10 s (the master has not downloaded it yet)\nexit=1\n"), "\(output)")
        #expect(harness.log.contains("waiting for h.tgz: no answer from the master yet"), "\(harness.log)")
        #expect(harness.log.contains("waiting for h.tgz: the master has not downloaded it yet"), "\(harness.log)")
    }

    @Test func aWorkerStopsAtOnceWhenTheMasterCouldNotDownloadIt() async throws {
        let (harness, setup) = try Self.cluster(role: .workers)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            mkdir "$T/served"; echo 'http://mirror.test/flink/f.tgz: download failed or SHA-512 mismatch' >"$T/served/f.tgz.failed"
            disco_artifact flink "$T/cache/f.tgz"
            """)
        #expect(output.hasSuffix("died: the master cannot provide f.tgz: http://mirror.test/flink/f.tgz: download failed or SHA-512 mismatch\nexit=1\n"), "\(output)")
        #expect(harness.log.isEmpty, "it did not wait: \(harness.log)")
    }

    /// The master's own install failed (here before it fetched anything): its disco_fail leaves the reason where the
    /// workers look, and a worker stops with it.
    @Test func aWorkerStopsAtOnceWhenTheMastersInstallFailed() async throws {
        let (master, masterSetup) = try Self.cluster(role: .master)
        defer { master.remove() }
        _ = try await master.run(masterSetup + """
            disco_signal() { :; }
            disco_fail base "apt-get install openjdk-17-jdk-headless failed"
            """)
        let (worker, setup) = try Self.cluster(role: .workers)
        defer { worker.remove() }
        let output = try await worker.run(setup + """
            mkdir "$T/served"; cp \(ShellQuoting.quote(master.directory.path))/art/pub/master.failed "$T/served/"
            disco_artifact flink "$T/cache/f.tgz"
            """)
        #expect(output.hasSuffix("died: the master cannot provide f.tgz: base failed on the master: apt-get install openjdk-17-jdk-headless failed\nexit=1\n"), "\(output)")
    }

    /// The master's artefact port is internal: no rule opens it to the world, the members' rule admits the workers.
    @Test func theArtefactPortIsOpenToClusterMembersOnly() throws {
        var inventory = CloudInventory.standard
        inventory.quota = QuotaHeadroom()
        let plan = try Planner(catalog: try .builtIn())
            .plan(.make(workers: 3, components: ["flink": [:]]), inventory: inventory, context: .fixed)
        #expect(plan.ports.first { $0.port == 8086 }.map { ($0.exposure, $0.components) } ?? (.public, []) == (.internal, ["base"]))
        let rules = try #require(plan.template.resource("security_group")?.properties.first { $0.0 == "rules" }?.1)
        guard case let .list(items) = rules else { Issue.record("rules is not a list"); return }
        let world = items.filter { $0["remote_ip_prefix"] != nil }
        #expect(!world.contains { rule in
            guard case let .int(low)? = rule["port_range_min"], case let .int(high)? = rule["port_range_max"] else { return false }
            return (low...high).contains(8086)
        }, "\(world)")
        #expect(items.contains { $0["remote_mode"] == "remote_group_id" && $0["protocol"] == "tcp"
                && $0["port_range_min"] == 1 && $0["port_range_max"] == 65535 })
        #expect(plan.masterScript.contains("serve.py \\\n  \"$DISCO_ART_PORT\" \"$DISCO_NODE_IP\" \"$only\" \"$internal\" ${only:+\"$DISCO_ART/pub\"}"))
    }

    /// The cluster's internal SSH key comes from the master the same way (asked from a root-only port: the master's
    /// internal service gives it to root alone), with the same bounded wait and the master's reason when its install
    /// failed.
    @Test func aWorkerCopiesTheClusterKeyFromTheMasterOrStopsWithTheMastersReason() async throws {
        let (harness, setup) = try Self.cluster(role: .workers)
        defer { harness.remove() }
        let output = try await harness.run(setup + """
            sleep() { SECONDS=$((SECONDS + ${1%.*})); mkdir -p "$T/served"; ((SECONDS < 70)) || echo 'the key' >"$T/served/id_ed25519"; }
            disco_from_master id_ed25519 "$T/key" "the master has not made it yet" --local-port 600-1023; cat "$T/key"
            rm "$T/served/id_ed25519"; echo 'base failed on the master: no ssh-keygen' >"$T/served/master.failed"
            disco_from_master id_ed25519 "$T/key2" "the master has not made it yet" --local-port 600-1023
            """)
        #expect(output.contains("\nthe key\n"), "\(output)")
        #expect(output.hasSuffix("died: the master cannot provide id_ed25519: base failed on the master: no ssh-keygen\nexit=1\n"), "\(output)")
        #expect(harness.log.contains("waiting for id_ed25519: no answer from the master yet"), "\(harness.log)")
        #expect(harness.log.contains("waiting for id_ed25519: the master has not made it yet"), "\(harness.log)")
        var inventory = CloudInventory.standard
        inventory.quota = QuotaHeadroom()
        let plan = try Planner(catalog: try .builtIn()).plan(.make(workers: 1), inventory: inventory, context: .fixed)
        #expect(plan.workerScript.contains(
            "disco_from_master id_ed25519 \"$ssh/id_ed25519\" \"the master has not made it yet\" --local-port 600-1023"))
    }
}
