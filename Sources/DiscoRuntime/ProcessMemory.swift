import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's memory: RSS from `/proc/self/status`, and the bytes malloc has handed out and not had back
/// (glibc's `malloc_info`), which unlike RSS does not grow with fragmentation or with arenas kept.
///
/// `/metrics` reports both; the soaks compare them from the first batches to the last.
package enum ProcessMemory {
    /// Resident set size in KiB; `nil` without `/proc`.
    package static func residentKiB() -> Int? { statusKiB("VmRSS") }

    /// The largest resident set size so far in KiB; `nil` without `/proc`.
    package static func peakResidentKiB() -> Int? { statusKiB("VmHWM") }

    /// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`…).
    package static func statusKiB(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    /// Bytes in use by malloc over all arenas: the arenas' current size less their free chunks, plus mmapped blocks.
    /// `nil` where glibc's `malloc_info` is not there.
    package static func mallocInUseBytes() -> Int? {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_info") else { return nil }
        typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        guard let stream = open_memstream(&buffer, &length) else { return nil }
        let status = unsafeBitCast(symbol, to: MallocInfo.self)(0, stream)
        fclose(stream)
        defer { free(buffer) }
        guard status == 0, let buffer else { return nil }
        return inUseBytes(mallocInfoXML: String(cString: buffer))
        #else
        return nil
        #endif
    }

    /// The in-use bytes from `malloc_info`'s XML: its totals follow the last per-arena `<heap>` element.
    package static func inUseBytes(mallocInfoXML xml: String) -> Int? {
        guard let end = xml.range(of: "</heap>", options: .backwards) else { return nil }
        let totals = xml[end.upperBound...]
        func size(_ element: String, _ type: String) -> Int? {
            guard let start = totals.range(of: "<\(element) type=\"\(type)\""),
                  let attribute = totals[start.upperBound...].range(of: "size=\"") else { return nil }
            return Int(totals[attribute.upperBound...].prefix(while: \.isNumber))
        }
        guard let current = size("system", "current"), let fast = size("total", "fast"),
              let rest = size("total", "rest") else { return nil }
        return current - fast - rest + (size("total", "mmap") ?? 0)
    }
}
