import Foundation
import Synchronization
import Testing
@testable import DiscoRuntime

@Suite("Heap trimmer")
struct HeapTrimmerTests {
    @Test func requestsInsideTheWindowShareOneTrim() async throws {
        let trims = Atomic<Int>(0)
        let trimmer = HeapTrimmer(delay: .milliseconds(300)) { trims.add(1, ordering: .relaxed) }
        for _ in 0..<100 { trimmer.trimSoon() }
        #expect(trims.load(ordering: .relaxed) == 0, "trimSoon returns before trimming")
        try await waitFor { trims.load(ordering: .relaxed) >= 1 }
        // A second burst after the first trim ran is served by a second one.
        for _ in 0..<100 { trimmer.trimSoon() }
        try await waitFor { trims.load(ordering: .relaxed) >= 2 }
        try await Task.sleep(for: .milliseconds(700))
        #expect(trims.load(ordering: .relaxed) == 2)
    }

    @Test func trimNowRunsOnTheCallingThread() {
        let trims = Atomic<Int>(0)
        let trimmer = HeapTrimmer(delay: .seconds(60)) { trims.add(1, ordering: .relaxed) }
        trimmer.trimNow()
        #expect(trims.load(ordering: .relaxed) == 1)
    }

    #if os(Linux)
    @Test func theSharedTrimmerGivesFreedHeapBack() throws {
        // 32 MiB in 64 KiB blocks (below glibc's mmap threshold, so from the heap), touched, then freed with one
        // block kept after them: free() alone cannot return them, the trim must.
        let blocks = (0..<512).map { _ in malloc(64 * 1024)! }
        for block in blocks { memset(block, 0x5A, 64 * 1024) }
        let keep = malloc(64 * 1024)!
        memset(keep, 1, 64 * 1024)
        defer { free(keep) }
        for block in blocks { free(block) }
        let before = try residentKiB()
        HeapTrimmer.shared.trimNow()
        let after = try residentKiB()
        #expect(before - after >= 16 * 1024, "RSS \(before) KiB before the trim, \(after) KiB after")
    }

    private func residentKiB() throws -> Int { try #require(ProcessMemory.residentKiB()) }
    #endif

    private func waitFor(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 20 s")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
