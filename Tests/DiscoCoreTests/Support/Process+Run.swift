import Foundation

/// Runs `script` with bash and returns its standard output.
///
/// The process is waited for on a thread of its own — neither a Swift concurrency thread nor a Dispatch
/// worker — so parallel tests (some of which run live servers) are not starved.
func runBash(_ script: String, stdin: String? = nil) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try runBashBlocking(script, stdin: stdin) }) }.start()
    }
}

/// At most one child process at a time: parallel tests must not oversubscribe the machine's cores.
private let processSlots = DispatchSemaphore(value: 1)

private func runBashBlocking(_ script: String, stdin: String?) throws -> String {
    processSlots.wait()
    defer { processSlots.signal() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    let out = Pipe()
    process.standardOutput = out
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
        // Write from another thread so a large input cannot deadlock against a full output pipe.
        Thread {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }.start()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
