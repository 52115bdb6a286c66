public import Foundation

/// The version of a state directory's files (the layout, the journal's entries, the secrets), kept in its `FORMAT`
/// file as `disco-state-format <n>`.
///
/// A directory is opened only by a DISCO that reads its version: an older one is migrated first (in place, before
/// anything else reads it), a newer one is refused, so a downgrade never misreads or rewrites what it does not know.
public enum StateFormat {
    /// The version this DISCO writes.
    public static let current = 1
    /// The file holding the version.
    public static let fileName = "FORMAT"
    static let prefix = "disco-state-format "

    /// The steps from each older version to the next, in place. Version 0 (directories written before the `FORMAT`
    /// file existed) has the files of version 1: the step only writes the file.
    static let migrations: [Int: @Sendable (URL) throws -> Void] = [0: { _ in }]

    /// Checks `directory`'s version, migrating an older one, and returns the version found (0: written before
    /// versions were recorded).
    ///
    /// A directory without a journal or snapshot is new: it gets the current version. Throws ``StateFormatError`` for
    /// a newer version (naming both) or a `FORMAT` file that cannot be read, ``StoreError`` when it cannot be written.
    @discardableResult
    public static func open(_ directory: URL) throws -> Int {
        let url = directory.appendingPathComponent(fileName)
        let found = try version(at: url)
        guard found <= current else {
            throw StateFormatError(path: url.path, message: "the state was written by a newer DISCO (format \(found); this "
                             + "disco-sm reads formats up to \(current)): run that version, or restore a backup made before it")
        }
        guard found < current else { return found }
        let isNew = found == 0 && !["clusters.snapshot", "clusters.journal"].contains {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        if !isNew {
            for step in found..<current {
                guard let migrate = migrations[step] else {
                    throw StateFormatError(path: url.path, message: "no migration from format \(step) to \(step + 1)")
                }
                try migrate(directory)
            }
        }
        try FileJournalStore.writeDurably(Data("\(prefix)\(current)\n".utf8), to: url, permissions: 0o600)
        return isNew ? current : found
    }

    /// The version in the `FORMAT` file at `url`: 0 when there is none.
    static func version(at url: URL) throws -> Int {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if FileManager.default.fileExists(atPath: url.path) { throw StateFormatError(path: url.path, message: "cannot be read") }
            return 0
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(prefix), let number = Int(text.dropFirst(prefix.count)), number >= 1 else {
            throw StateFormatError(path: url.path, message: "is not a state format file (expected '\(prefix)<number>', found "
                             + "'\(text.prefix(40))')")
        }
        return number
    }
}

/// A state directory this DISCO must not open: a newer format, or a `FORMAT` file it cannot read.
public struct StateFormatError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}
