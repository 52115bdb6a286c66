import Foundation
import Glibc

/// Limits the parser enforces.
struct HTTPParserLimits: Sendable {
    var maxRequestLineBytes = 8 * 1024
    var maxHeaderBytes = 64 * 1024
    var maxHeaderCount = 100
    var maxBodyBytes = 1024 * 1024
}
