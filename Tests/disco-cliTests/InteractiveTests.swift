import Foundation
import Testing
@testable import disco_cli

/// The interactive shell on a real pseudo-terminal: python3's `pty` runs the built binary and answers its prompts.
@Suite(.timeLimit(.minutes(2))) struct InteractiveTests {
    /// Drives `disco-cli` in a pty: waits for each expected text, then types the answer.
    static let driver = #"""
    import os, pty, select, sys, time
    binary, url, name, password = sys.argv[1:5]
    env = dict(os.environ, DISCO_URL=url, NO_COLOR="1", TERM="xterm")
    for key in list(env):
        if key.startswith("OS_") or key == "DISCO_TOKEN":
            del env[key]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary], env)
    seen = b""
    pending = b""
    def expect(text, timeout=30):
        global seen, pending
        deadline = time.time() + timeout
        while text.encode() not in pending:
            left = deadline - time.time()
            ready, _, _ = select.select([fd], [], [], max(0, left))
            if not ready:
                sys.stdout.write(seen.decode(errors="replace") + pending.decode(errors="replace"))
                sys.exit("timed out waiting for %r" % text)
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                sys.stdout.write(seen.decode(errors="replace") + pending.decode(errors="replace"))
                sys.exit("end of output waiting for %r" % text)
            pending += chunk
        cut = pending.index(text.encode()) + len(text)
        seen += pending[:cut]
        pending = pending[cut:]
    def answer(question, text):
        expect(question)
        expect(": ")
        os.write(fd, (text + "\r").encode())
    expect("disco> ")
    os.write(fd, b"create\r")
    answer("Cluster name", "9lives")
    expect("is not a valid cluster name")
    answer("Cluster name", name)
    answer("Components", "zepelin")
    expect("did you mean 'zeppelin'?")
    answer("Components", "zeppelin,jupyter")
    expect("+ spark, hadoop (required by zeppelin)")
    answer("jupyter.password", "short")
    expect("does not match")
    answer("jupyter.password", password)
    answer("Image", "")
    answer("Master flavor", "4")
    answer("Number of workers", "-3")
    expect("is not allowed; use 0")
    answer("Number of workers", "1")
    answer("Worker flavor", "m1.medium")
    answer("External network", "")
    expect("Totals:")
    answer("Create cluster " + name + "?", "")
    answer("Follow it until it is ready?", "y")
    expect("is ready")
    expect("disco> ")
    os.write(fd, b"exit\r")
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode(errors="replace") + pending.decode(errors="replace"))
    if password in (seen + pending).decode(errors="replace"):
        sys.exit("the password was echoed")
    sys.exit(os.waitstatus_to_exitcode(status))
    """#

    @Test func guidedCreateInATerminal() async throws {
        let url = try await TestServer.url().absoluteString
        let name = uniqueName("pty")
        let folder = try temporaryFolder()
        let script = folder.appendingPathComponent("drive.py")
        try Self.driver.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, try builtBinary("disco-cli").path, url, name, "pty-s3cret-pw"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let transcript = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(transcript)")
        #expect(transcript.contains("DISCO shell"))
        #expect(transcript.contains("Summary"))

        let shown = try await runCLI(["show", name, "--json"])
        let cluster = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(cluster["state"] as? String == "ready")
        #expect(cluster["workers"] as? Int == 1)
        #expect((cluster["master"] as? [String: String])?["flavor"] == "m1.xlarge")
        #expect((cluster["worker"] as? [String: String])?["flavor"] == "m1.medium")
        let components = (cluster["components"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(components == ["base", "hadoop", "jupyter", "spark", "zeppelin"])
        _ = try await runCLI(["delete", name])
    }
}
