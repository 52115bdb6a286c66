public import Foundation

/// A ``ClusterStore`` in a directory: a snapshot plus an append-only journal of JSON lines, each change fsynced,
/// compacted by writing a new snapshot and renaming it into place. Secrets live in `secrets/<id>/`, mode 0600.
///
/// Layout: `clusters.snapshot`, `clusters.journal`, `secrets/<id>/<name>`.
public final class FileJournalStore: ClusterStore, @unchecked Sendable {
    public let directory: URL
    /// Journal entries after which the journal is folded into the snapshot.
    public let compactAfter: Int

    private let lock = NSLock()
    private var journal: FileHandle?
    private var journalEntries = 0
    private var records: [String: ClusterRecord] = [:]
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    private let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    private var snapshotURL: URL { directory.appendingPathComponent("clusters.snapshot") }
    private var journalURL: URL { directory.appendingPathComponent("clusters.journal") }
    private var secretsURL: URL { directory.appendingPathComponent("secrets") }

    /// Opens (creating if needed) the store in `directory` and reads it.
    public init(directory: URL, compactAfter: Int = 5000) throws {
        self.directory = directory
        self.compactAfter = compactAfter
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.createDirectory(at: secretsURL, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(path: directory.path, message: "cannot create the state directory (\(error.localizedDescription))")
        }
        try lock.withLock {
            try readAll()
            try compactLocked()
        }
    }

    private struct Entry: Codable {
        var op: String
        var id: String
        var record: ClusterRecord?
    }

    // MARK: - ClusterStore

    public func loadAll() throws -> [ClusterRecord] {
        lock.withLock { Array(records.values).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
    }

    public func put(_ record: ClusterRecord) throws {
        try lock.withLock {
            try append(Entry(op: "put", id: record.id, record: record))
            records[record.id] = record
        }
    }

    public func remove(id: String) throws {
        try lock.withLock {
            try append(Entry(op: "remove", id: id, record: nil))
            records[id] = nil
        }
        try? FileManager.default.removeItem(at: secretsURL.appendingPathComponent(Self.safeID(id)))
    }

    public func putSecret(_ data: Data, named name: SecretName, for id: String) throws {
        let folder = secretsURL.appendingPathComponent(Self.safeID(id))
        let target = folder.appendingPathComponent(name.rawValue)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Self.writeDurably(data, to: target, permissions: 0o600)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: target.path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    public func secret(named name: SecretName, for id: String) throws -> Data? {
        let url = secretsURL.appendingPathComponent(Self.safeID(id)).appendingPathComponent(name.rawValue)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw StoreError(path: url.path, message: "cannot read (\(error.localizedDescription))")
        }
    }

    public func removeSecret(named name: SecretName, for id: String) throws {
        let url = secretsURL.appendingPathComponent(Self.safeID(id)).appendingPathComponent(name.rawValue)
        if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    /// Folds the journal into a new snapshot now.
    public func compact() throws {
        try lock.withLock { try compactLocked() }
    }

    // MARK: - Internals

    private static func safeID(_ id: String) -> String {
        String(id.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" }.prefix(64).map(Character.init))
    }

    private func readAll() throws {
        records = [:]
        for url in [snapshotURL, journalURL] {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            var lineNumber = 0
            var start = data.startIndex
            while start < data.endIndex {
                lineNumber += 1
                guard let newline = data[start...].firstIndex(of: 0x0A) else {
                    // A torn last line from a crash mid-append was never acknowledged: drop it.
                    break
                }
                let line = data[start..<newline]
                start = data.index(after: newline)
                if line.isEmpty { continue }
                let entry: Entry
                do {
                    entry = try decoder.decode(Entry.self, from: line)
                } catch {
                    throw StoreError(path: "\(url.path):\(lineNumber)", message: "unreadable entry (\(error))")
                }
                switch entry.op {
                case "put": records[entry.id] = entry.record
                case "remove": records[entry.id] = nil
                default: throw StoreError(path: "\(url.path):\(lineNumber)", message: "unknown operation '\(entry.op)'")
                }
            }
        }
    }

    private func append(_ entry: Entry) throws {
        if journalEntries >= compactAfter { try compactLocked() }
        var line = try encoder.encode(entry)
        line.append(0x0A)
        guard let journal else { throw StoreError(path: journalURL.path, message: "journal is not open") }
        do {
            try journal.write(contentsOf: line)
            try journal.synchronize()
        } catch {
            throw StoreError(path: journalURL.path, message: "cannot append (\(error.localizedDescription))")
        }
        journalEntries += 1
    }

    private func compactLocked() throws {
        var snapshot = Data()
        for record in records.values.sorted(by: { $0.id < $1.id }) {
            snapshot.append(try encoder.encode(Entry(op: "put", id: record.id, record: record)))
            snapshot.append(0x0A)
        }
        try? journal?.close()
        journal = nil
        try Self.writeDurably(snapshot, to: snapshotURL, permissions: 0o600)
        // Only now is the old journal redundant.
        try Self.writeDurably(Data(), to: journalURL, permissions: 0o600)
        guard let handle = FileHandle(forWritingAtPath: journalURL.path) else {
            throw StoreError(path: journalURL.path, message: "cannot open the journal")
        }
        try handle.seekToEnd()
        journal = handle
        journalEntries = 0
    }

    /// Writes `data` to a temporary file, fsyncs it, renames it over `url`, and fsyncs the folder.
    static func writeDurably(_ data: Data, to url: URL, permissions: Int) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fm = FileManager.default
        guard fm.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: permissions]),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw StoreError(path: temporary.path, message: "cannot create")
        }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw StoreError(path: url.path, message: "cannot rename into place (errno \(errno))")
            }
            if let folder = FileHandle(forReadingAtPath: url.deletingLastPathComponent().path) {
                try? folder.synchronize()
                try? folder.close()
            }
        } catch {
            try? fm.removeItem(at: temporary)
            if let error = error as? StoreError { throw error }
            throw StoreError(path: url.path, message: "cannot write (\(error.localizedDescription))")
        }
    }
}
