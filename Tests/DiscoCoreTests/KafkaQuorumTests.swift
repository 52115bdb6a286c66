import Foundation
import Testing
@testable import DiscoCore

/// Kafka 4 as upstream recommends a new KRaft cluster: a dynamic quorum bootstrapped by one controller
/// (`controller.quorum.bootstrap.servers`, `kafka-storage.sh format --standalone`), not the static
/// `controller.quorum.voters` that formats the deprecated kraft.version 0.
@Suite struct KafkaQuorumTests {
    static func scripts(workers: Int) throws -> (master: String, worker: String) {
        let plan = try Planner(catalog: try .builtIn()).plan(.make(workers: workers, components: ["kafka": [:]]),
                                                             inventory: .standard, context: .fixed)
        return (plan.masterScript, plan.workerScript)
    }

    @Test("kafka formats a dynamic quorum bootstrapped by the master's controller", arguments: [0, 3])
    func kafkaFormatsADynamicQuorum(workers: Int) throws {
        let (master, worker) = try Self.scripts(workers: workers)
        for script in [master, worker] {
            #expect(!script.contains("controller.quorum.voters"), "the static quorum (kraft.version 0) is still configured")
            #expect(script.contains("controller.quorum.bootstrap.servers=${DISCO_MASTER_IP}:9093"))
        }
        // The master's controller advertises the address the voter set records (never 0.0.0.0).
        #expect(master.contains("CONTROLLER://${DISCO_MASTER_IP}:9093"))
        #expect(master.contains("format=(--standalone)"))
        #expect(master.contains("format=(--no-initial-controllers)"))
        #expect(master.contains("--cluster-id \"$id\" \"${format[@]}\" --config \"$cfg\""))
    }

    /// Kafka's scripts write their logs to LOG_DIR (default: the root-owned install folder); every tool the install
    /// runs as the cluster user gets the user's /var/log/kafka.
    @Test func kafkaToolsRunAsTheUserWithTheUsersLogDir() throws {
        let (master, _) = try Self.scripts(workers: 2)
        let commands = master.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
        let toolLines = commands.filter { $0.contains("/opt/kafka/bin/kafka-") && !$0.contains("kafka-server-start") }
        #expect(toolLines.count == 2)
        for line in toolLines {
            #expect(line.contains("LOG_DIR=/var/log/kafka"), "\(line)")
            #expect(line.contains("disco_as_user"), "\(line)")
        }
    }
}
