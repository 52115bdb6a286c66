import Foundation
import Glibc

/// A growable byte buffer with a read cursor, used as a connection's input buffer.
struct InputBuffer {
    var bytes: [UInt8] = []
    var readIndex = 0

    var readableCount: Int { bytes.count - readIndex }
    var isEmpty: Bool { readIndex >= bytes.count }

    mutating func append(_ data: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: data)
    }

    mutating func append<S: Sequence>(contentsOf s: S) where S.Element == UInt8 {
        bytes.append(contentsOf: s)
    }

    /// Drops consumed bytes when that is cheap or worthwhile.
    mutating func compact() {
        if readIndex == 0 { return }
        if readIndex >= bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= 16 * 1024)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= bytes.count {
            bytes.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
