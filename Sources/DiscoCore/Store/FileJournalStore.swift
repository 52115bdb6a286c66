public import Foundation

/// A ``ClusterStore`` in a directory: a snapshot plus an append-only journal of JSON lines, each change fsynced,
/// compacted by writing a new snapshot and renaming it into place. Secrets live in `secrets/<id>/`, mode 0600.
///
/// Layout: `FORMAT` (see ``StateFormat``), `clusters.snapshot`, `clusters.journal`, `secrets/<id>/<name>`.
public final class FileJournalStore: ClusterStore, @unchecked Sendable {
    public let directory: URL
    /// Journal entries after which the journal is folded into the snapshot.
    public let compactAfter: Int
    /// The directory's format version when it was opened (older ones are migrated to ``StateFormat/current``; 0:
    /// written before versions were recorded, or new).
    public private(set) var formatFound = 0

    private let lock = NSLock()
    private var journal: FileHandle?
    private var journalEntries = 0
    private var records: [String: ClusterRecord] = [:]
    /// Secrets read or written, so a hot read (the OCCI entity carries the SSH key) does not touch the disk each time.
    private var secretCache: [String: Data] = [:]

    private var snapshotURL: URL { directory.appendingPathComponent("clusters.snapshot") }
    private var journalURL: URL { directory.appendingPathComponent("clusters.journal") }
    private var secretsURL: URL { directory.appendingPathComponent("secrets") }

    /// Opens (creating if needed) the store in `directory` and reads it.
    ///
    /// - Parameters:
    ///   - compactAfter: journal entries after which the journal is folded into the snapshot.
    ///   - logger: where a torn last journal line, cut off at opening, is reported.
    ///   - afterReading: called once the records are read, before any compaction: the moment to give the memory the
    ///     decoders churned through back to the system (the server trims the heap here).
    public init(directory: URL, compactAfter: Int = 5000, logger: Logger = .disabled, afterReading: @Sendable () -> Void = {}) throws {
        self.directory = directory
        self.compactAfter = compactAfter
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.createDirectory(at: secretsURL, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(path: directory.path, message: "cannot create the state directory (\(error.localizedDescription))")
        }
        formatFound = try StateFormat.open(directory)
        try lock.withLock {
            let journalState = try readAll()
            afterReading()
            if journalState.tornBytes > 0 {
                logger.warning("cut a torn last line off the journal (a write the crash interrupted, never acknowledged)",
                               ["file": journalURL.path, "offset": String(journalState.validBytes),
                                "bytes": String(journalState.tornBytes)])
            }
            // Opening does not rewrite the snapshot (a large store takes seconds to re-encode): a torn last journal
            // line is cut off, and appends go on after the last whole one. Compaction happens as the journal grows.
            if journalState.entries >= compactAfter || !FileManager.default.fileExists(atPath: snapshotURL.path) {
                try compactLocked()
            } else {
                try openJournal(truncatingTo: journalState.validBytes, entries: journalState.entries)
            }
        }
    }

    /// Opens the journal for appending after its first `validBytes` bytes (creating it if needed).
    private func openJournal(truncatingTo validBytes: Int, entries: Int) throws {
        if !FileManager.default.fileExists(atPath: journalURL.path) {
            try Self.writeDurably(Data(), to: journalURL, permissions: 0o600)
        }
        guard let handle = FileHandle(forWritingAtPath: journalURL.path) else {
            throw StoreError(path: journalURL.path, message: "cannot open the journal")
        }
        do {
            if try handle.seekToEnd() != UInt64(validBytes) {
                try handle.truncate(atOffset: UInt64(validBytes))
                try handle.synchronize()
            }
        } catch {
            throw StoreError(path: journalURL.path, message: "cannot open the journal (\(error.localizedDescription))")
        }
        journal = handle
        journalEntries = entries
    }

    struct Entry: Codable {
        var op: String
        var id: String
        var record: ClusterRecord?
    }

    /// One journal line: the fast reader first, `JSONDecoder` (with its readable error) for anything it does not know.
    static func decodeEntry(_ line: UnsafeRawBufferPointer, decoder: JSONDecoder, memo: inout StoredRecordMemo) throws -> Entry {
        var reader = JSONReader(line)
        if let entry = try? Entry(reading: &reader, memo: &memo), (try? reader.end()) != nil { return entry }
        return try decoder.decode(Entry.self, from: Data(line))
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
            let prefix = Self.safeID(id) + "/"
            secretCache = secretCache.filter { !$0.key.hasPrefix(prefix) }
        }
        try? FileManager.default.removeItem(at: secretsURL.appendingPathComponent(Self.safeID(id)))
    }

    public func putSecret(_ data: Data, named name: SecretName, for id: String) throws {
        let folder = secretsURL.appendingPathComponent(Self.safeID(id))
        let target = folder.appendingPathComponent(name.rawValue)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Self.writeDurably(data, to: target, permissions: 0o600)
            lock.withLock { secretCache[Self.safeID(id) + "/" + name.rawValue] = data.count <= 16 * 1024 ? data : nil }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: target.path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    public func secret(named name: SecretName, for id: String) throws -> Data? {
        let key = Self.safeID(id) + "/" + name.rawValue
        if let cached = lock.withLock({ secretCache[key] }) { return cached }
        let url = secretsURL.appendingPathComponent(Self.safeID(id)).appendingPathComponent(name.rawValue)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let data = try Data(contentsOf: url)
            if data.count <= 16 * 1024 { lock.withLock { secretCache[key] = data } }
            return data
        } catch {
            throw StoreError(path: url.path, message: "cannot read (\(error.localizedDescription))")
        }
    }

    public func removeSecret(named name: SecretName, for id: String) throws {
        let url = secretsURL.appendingPathComponent(Self.safeID(id)).appendingPathComponent(name.rawValue)
        lock.withLock { secretCache[Self.safeID(id) + "/" + name.rawValue] = nil }
        if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    /// Folds the journal into a new snapshot now.
    public func compact() throws {
        try lock.withLock { try compactLocked() }
    }

    // MARK: - Internals

    /// `id` as a folder name: ASCII letters, digits and `-` only, at most 64 (ids are UUIDs; this is on every secret read).
    static func safeID(_ id: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(id.utf8.count, 64))
        for byte in id.utf8 where bytes.count < 64 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"):
                bytes.append(byte)
            default: continue
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads the snapshot, then the journal; returns the journal's whole entries, the bytes they take and the bytes
    /// of a torn last line after them.
    ///
    /// Lines are found with `memchr` and decoded on every core, then applied in order.
    @discardableResult
    private func readAll() throws -> (entries: Int, validBytes: Int, tornBytes: Int) {
        records = [:]
        var journalState = (entries: 0, validBytes: 0, tornBytes: 0)
        for url in [snapshotURL, journalURL] {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            // Whole lines only: a torn last line from a crash mid-append was never acknowledged, so it is dropped.
            let lines = Self.lineRanges(data)
            if url == journalURL {
                let valid = lines.last.map { $0.upperBound + 1 } ?? 0
                journalState = (lines.count, valid, data.count - valid)
            }
            let entries = try decodeEntries(data, lines, path: url.path)
            var shared: ClusterRecord?
            for (index, entry) in entries.enumerated() {
                guard let entry else { continue }
                switch entry.op {
                case "put":
                    // Clusters of the same make-up share one copy of their component and UI lists (copy-on-write).
                    if var record = entry.record, let previous = shared {
                        if record.components == previous.components { record.components = previous.components }
                        if record.uiLinks == previous.uiLinks { record.uiLinks = previous.uiLinks }
                        if record.spec.components == previous.spec.components { record.spec.components = previous.spec.components }
                        records[entry.id] = record
                        shared = record
                    } else {
                        records[entry.id] = entry.record
                        shared = entry.record ?? shared
                    }
                case "remove": records[entry.id] = nil
                default: throw StoreError(path: "\(url.path):\(index + 1)", message: "unknown operation '\(entry.op)'")
                }
            }
        }
        return journalState
    }

    /// The byte ranges (from 0, without the LF) of the LF-terminated lines of `data`.
    static func lineRanges(_ data: Data) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var start = 0
            while start < raw.count, let hit = memchr(base + start, 0x0A, raw.count - start) {
                let end = base.distance(to: UnsafeRawPointer(hit))
                lines.append(start..<end)
                start = end + 1
            }
        }
        return lines
    }

    /// Decodes each non-empty line (nil for empty ones), in parallel chunks; the first bad line throws.
    private func decodeEntries(_ data: Data, _ lines: [Range<Int>], path: String) throws -> [Entry?] {
        let chunkCount = lines.count < 512 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunkSize = (lines.count + chunkCount - 1) / max(chunkCount, 1)
        let results = DecodedChunks(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            var entries: [Entry?] = []
            let range = (chunk * chunkSize)..<min(lines.count, (chunk + 1) * chunkSize)
            entries.reserveCapacity(range.count)
            var memo = StoredRecordMemo()
            data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
                for index in range {
                    let line = lines[index]
                    if line.isEmpty { entries.append(nil); continue }
                    do {
                        entries.append(try Self.decodeEntry(UnsafeRawBufferPointer(rebasing: all[line]), decoder: decoder, memo: &memo))
                    } catch {
                        results.fail(chunk, StoreError(path: "\(path):\(index + 1)", message: "unreadable entry (\(error))"))
                        return
                    }
                }
            }
            if entries.count == range.count { results.set(chunk, entries) }
        }
        return try results.joined()
    }

    /// Per-chunk results of ``decodeEntries``, written from several threads.
    private final class DecodedChunks: @unchecked Sendable {
        private let lock = NSLock()
        private var chunks: [[Entry?]]
        private var errors: [Int: StoreError] = [:]
        init(count: Int) { chunks = Array(repeating: [], count: count) }
        func set(_ chunk: Int, _ entries: [Entry?]) { lock.withLock { chunks[chunk] = entries } }
        func fail(_ chunk: Int, _ error: StoreError) { lock.withLock { errors[chunk] = error } }
        func joined() throws -> [Entry?] {
            try lock.withLock {
                if let first = errors.keys.min(), let error = errors[first] { throw error }
                return chunks.flatMap { $0 }
            }
        }
    }

    private func append(_ entry: Entry) throws {
        if journalEntries >= compactAfter { try compactLocked() }
        var writer = JSONWriter()
        entry.write(to: &writer)
        writer.endLine()
        let line = Data(writer.bytes)
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
        var writer = JSONWriter(reservingCapacity: records.count * 2_600)
        for record in records.values.sorted(by: { $0.id < $1.id }) {
            Entry(op: "put", id: record.id, record: record).write(to: &writer)
            writer.endLine()
        }
        let snapshot = Data(writer.bytes)
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
