import Foundation
import Glibc

/// Memory of this process, for soak reports: RSS from `/proc/self/status`, and the bytes malloc has handed out and
/// not had back (glibc's `malloc_info`), which unlike RSS does not grow with fragmentation or with arenas kept.
enum HeapUsage {
    static func residentKiB() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// Bytes in use by malloc over all arenas: the arenas' current size less their free chunks, plus mmapped blocks.
    /// `nil` where glibc's `malloc_info` is not there.
    static func mallocInUseBytes() -> Int? {
        guard let symbol = dlsym(nil, "malloc_info") else { return nil }
        typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        guard let stream = open_memstream(&buffer, &length) else { return nil }
        let status = unsafeBitCast(symbol, to: MallocInfo.self)(0, stream)
        fclose(stream)
        defer { free(buffer) }
        guard status == 0, let buffer else { return nil }
        let xml = String(cString: buffer)
        // The totals follow the last per-arena <heap> element.
        guard let end = xml.range(of: "</heap>", options: .backwards) else { return nil }
        let totals = xml[end.upperBound...]
        func size(_ element: String, _ type: String) -> Int {
            guard let start = totals.range(of: "<\(element) type=\"\(type)\""),
                  let attribute = totals[start.upperBound...].range(of: "size=\"") else { return 0 }
            return Int(totals[attribute.upperBound...].prefix(while: \.isNumber)) ?? 0
        }
        return size("system", "current") - size("total", "fast") - size("total", "rest") + size("total", "mmap")
    }
}
