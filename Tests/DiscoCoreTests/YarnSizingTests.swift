import Testing
@testable import DiscoCore

@Suite struct YarnSizingTests {
    /// (RAM MB, vCPUs) → (containers, MB per container, NodeManager MB), from the original formula.
    @Test("memory formula table", arguments: [
        (8192, 4, 8, 774, 6192),       // the original's verified example
        (2048, 1, 2, 524, 1048),       // m1.small
        (4096, 2, 4, 524, 2096),       // m1.medium
        (16384, 8, 12, 1032, 12384),   // m1.xlarge
        (65536, 16, 28, 2054, 57512),
        (1_048_576, 64, 128, 7692, 984_576), // above the original's table: no crash, last reservation
        (1024, 1, 2, 256, 512),        // tiny node: at least half is kept for the OS
    ])
    func formula(ram: Int, cpus: Int, containers: Int, perContainer: Int, node: Int) {
        let sizing = YarnSizing(ramMB: ram, vcpus: cpus)
        #expect(sizing.containers == containers)
        #expect(sizing.containerMB == perContainer)
        #expect(sizing.nodeMemoryMB == node)
        #expect(sizing.reduceMB == 2 * perContainer)
        #expect(sizing.mapJavaOpts == "-Xmx\(perContainer * 8 / 10)m")
        #expect(sizing.reduceJavaOpts == "-Xmx\(perContainer * 16 / 10)m")
    }
}
