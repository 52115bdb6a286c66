import Testing
@testable import DiscoCore

@Suite("Retry waits in log lines")
struct RetryWaitTextTests {
    @Test(arguments: [(0.05, "0.1 s"), (0.4, "0.4 s"), (2, "2.0 s"), (9.94, "9.9 s"), (32, "32 s"), (300, "300 s")])
    func shortWaitsKeepATenth(_ seconds: Double, _ text: String) {
        #expect(ClusterService.seconds(seconds) == text)
    }
}
