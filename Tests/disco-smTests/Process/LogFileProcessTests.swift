import Foundation
import Glibc
import Testing

/// `[general] log_file` as an operator meets it: kept across restarts, moved by logrotate, a missing directory.
@Suite(.serialized) struct LogFileProcessTests {
    /// A temporary folder with an `sm.cfg` logging to `logs/sm.log` and a state directory.
    struct Setup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-log-\(UUID().uuidString)")
        var log: URL { folder.appendingPathComponent("logs/sm.log") }
        var config: URL { folder.appendingPathComponent("sm.cfg") }

        init(createLogDirectory: Bool = true) throws {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(createLogDirectory ? "logs" : "state"),
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try """
                [service_manager]
                state_directory = \(folder.appendingPathComponent("state").path)
                [general]
                log_file = \(log.path)

                """.write(to: config, atomically: true, encoding: .utf8)
        }

        func start() async throws -> ServerProcess {
            let port = ServerProcess.freePort()
            return try await ServerProcess(arguments: ["-c", config.path, "--port", String(port)], port: port)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func theLogIsKeptAcrossRestarts() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let first = try await setup.start()
        #expect(try await first.stopGracefully() == 0)
        first.terminate()
        let afterFirst = text(setup.log)
        #expect(afterFirst.contains("cluster service started"))
        let second = try await setup.start()
        #expect(try await second.stopGracefully() == 0)
        second.terminate()
        let afterSecond = text(setup.log)
        #expect(afterSecond.hasPrefix(afterFirst), "the first run's lines are gone")
        #expect(afterSecond.components(separatedBy: "cluster service started").count == 3)
    }

    @Test func hangupReopensTheLogAndTheServerKeepsServing() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let server = try await setup.start()
        defer { server.terminate() }
        let rotated = setup.log.appendingPathExtension("1")
        try FileManager.default.moveItem(at: setup.log, to: rotated)
        kill(server.process.processIdentifier, SIGHUP)
        var reopened = false
        for _ in 0..<200 where !reopened {
            try await Task.sleep(nanoseconds: 25_000_000)
            reopened = text(setup.log).contains("log file reopened")
        }
        #expect(server.process.isRunning, "SIGHUP ended disco-sm: \(server.log(tail: 500))")
        #expect(reopened, "no new log file after SIGHUP")
        let (status, _) = try await server.call("GET", "/healthz")
        #expect(status == 200)
        #expect(text(rotated).contains("cluster service started"), "the rotated file lost its lines")
        #expect(try await server.stopGracefully() == 0)
        #expect(text(setup.log).contains("stopped"))
    }

    @Test func hangupDoesNotEndAServerLoggingToStandardError() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("disco-hup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let port = ServerProcess.freePort()
        let server = try await ServerProcess(arguments: ["--port", String(port), "--state-dir", state.path], port: port)
        defer { server.terminate() }
        kill(server.process.processIdentifier, SIGHUP)
        try await Task.sleep(nanoseconds: 200_000_000)
        let (status, _) = try await server.call("GET", "/healthz")
        #expect(status == 200)
        #expect(server.process.isRunning)
    }

    @Test func aMissingLogDirectoryIsNamedWithTheConfigLine() async throws {
        let setup = try Setup(createLogDirectory: false)
        defer { setup.remove() }
        let sm = ServerProcess.binaries.appendingPathComponent("disco-sm").path
        let (status, output) = try await runCommand(sm, ["-c", setup.config.path, "--port", String(ServerProcess.freePort())])
        #expect(status == 78)
        #expect(output.contains("\(setup.config.path):4: [general] log_file: cannot open \(setup.log.path): the directory "
                                + "\(setup.log.deletingLastPathComponent().path) does not exist"), "\(output)")
    }
}
