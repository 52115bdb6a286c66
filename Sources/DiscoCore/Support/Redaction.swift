import Foundation

/// Removes secrets from text bound for logs and error messages.
public enum Redaction {
    /// Header names whose values are secrets.
    public static let secretHeaders: Set<String> = ["x-auth-token", "x-subject-token", "x-password", "authorization", "cookie", "set-cookie"]

    /// `text` with private keys, passwords and tokens replaced by `[redacted]`.
    public static func redact(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (every log message on the hot path): a byte scan instead of three Foundation searches.
            guard asciiContains(text, "private key") || asciiContains(text, "password") || asciiContains(text, "token")
                || asciiContains(text, "secret") else { return text }
        } else {
            guard text.contains("PRIVATE KEY") || text.localizedCaseInsensitiveContains("password")
                || text.localizedCaseInsensitiveContains("token") || text.localizedCaseInsensitiveContains("secret") else { return text }
        }
        var out = text
        // Private key blocks.
        while let start = out.range(of: "-----BEGIN"), let end = out.range(of: "PRIVATE KEY-----", range: start.upperBound..<out.endIndex),
              let close = out.range(of: "-----END", range: end.upperBound..<out.endIndex),
              let closeEnd = out.range(of: "-----", range: close.upperBound..<out.endIndex) {
            out.replaceSubrange(start.lowerBound..<closeEnd.upperBound, with: "[redacted private key]")
        }
        for key in ["password", "token", "secret"] {
            out = redactValues(after: key, in: out)
        }
        return out
    }

    /// Whether ASCII `text` contains the lower-case ASCII `needle`, ignoring case.
    private static func asciiContains(_ text: String, _ needle: StaticString) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ asciiContains($0, needle) }) { return found }
        return Array(text.utf8).withUnsafeBufferPointer { asciiContains($0, needle) }
    }

    private static func asciiContains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = n.first else { return true }
        guard bytes.count >= n.count else { return false }
        for start in 0...(bytes.count - n.count) where bytes[start] | 0x20 == first {
            var i = 1
            while i < n.count, bytes[start + i] | 0x20 == n[i] { i += 1 }
            if i == n.count { return true }
        }
        return false
    }

    /// Replaces the value following `key` and a separator (`=`, `:`, `": "`) with `[redacted]`.
    private static func redactValues(after key: String, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: key, options: .caseInsensitive) {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            // Skip the rest of the key name (e.g. "_hash", ".password"), then the separator.
            var index = rest.startIndex
            while index < rest.endIndex, rest[index].isLetter || rest[index].isNumber || rest[index] == "_" || rest[index] == "-" || rest[index] == "." {
                index = rest.index(after: index)
            }
            var separatorEnd = index
            while separatorEnd < rest.endIndex, [" ", "\"", "'", ":", "="].contains(rest[separatorEnd]) {
                separatorEnd = rest.index(after: separatorEnd)
            }
            let separator = rest[index..<separatorEnd]
            guard separator.contains(where: { $0 == ":" || $0 == "=" }) else { continue }
            var valueEnd = separatorEnd
            while valueEnd < rest.endIndex, ![" ", "\"", "'", ",", "&", "\n", "}", ";"].contains(rest[valueEnd]) {
                valueEnd = rest.index(after: valueEnd)
            }
            if valueEnd == separatorEnd { continue }
            out += rest[rest.startIndex..<separatorEnd] + "[redacted]"
            rest = rest[valueEnd...]
        }
        return out + rest
    }
}
