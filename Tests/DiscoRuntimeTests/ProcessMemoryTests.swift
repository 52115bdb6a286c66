import Foundation
import Testing
@testable import DiscoRuntime

@Suite("Process memory")
struct ProcessMemoryTests {
    /// glibc's layout: per-arena `<heap>` elements, then the totals over all arenas.
    static let sample = """
        <malloc version="1">
        <heap nr="0">
        <sizes></sizes>
        <total type="fast" count="3" size="96"/>
        <total type="rest" count="1" size="500"/>
        <system type="current" size="9000"/>
        </heap>
        <heap nr="1">
        <total type="fast" count="0" size="0"/>
        <total type="rest" count="2" size="700"/>
        <system type="current" size="4000"/>
        </heap>
        <total type="fast" count="3" size="96"/>
        <total type="rest" count="3" size="1200"/>
        <total type="mmap" count="2" size="262144"/>
        <system type="current" size="13000"/>
        <system type="max" size="20000"/>
        </malloc>
        """

    @Test func inUseIsTheArenasLessTheirFreeChunksPlusMmappedBlocks() {
        #expect(ProcessMemory.inUseBytes(mallocInfoXML: Self.sample) == 13000 - 96 - 1200 + 262_144)
    }

    @Test func textWithoutTheTotalsGivesNil() {
        #expect(ProcessMemory.inUseBytes(mallocInfoXML: "<malloc version=\"1\"></malloc>") == nil)
        #expect(ProcessMemory.inUseBytes(mallocInfoXML: "<heap nr=\"0\"></heap><total type=\"fast\" size=\"1\"/>") == nil)
    }

    #if os(Linux)
    @Test func aLiveAllocationShowsInTheHeapCount() throws {
        let before = try #require(ProcessMemory.mallocInUseBytes())
        let block = UnsafeMutableRawPointer.allocate(byteCount: 8 << 20, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: 8 << 20)
        let during = try #require(ProcessMemory.mallocInUseBytes())
        block.deallocate()
        #expect(during - before >= 7 << 20, "8 MiB allocated: \(before) → \(during)")
        #expect(try #require(ProcessMemory.residentKiB()) > 8 << 10)
    }
    #endif
}
