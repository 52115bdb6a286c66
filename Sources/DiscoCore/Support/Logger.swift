import Foundation

/// A small structured logger in the shape of swift-log's: a value with a label, a level and metadata.
///
/// Libraries accept a logger; only executables make one. Lines go to a sink (standard error by default), the message
/// (what happened, in words) first, then the fields in key order:
/// `2026-11-24T10:00:00Z info disco-sm: request method=GET request.id=ab12 status=200`,
/// `2026-11-24T10:00:05Z warning disco-sm: identity (Keystone) answered HTTP 503: …; retrying in 5 s cluster=4f1c…`.
/// What a line is about (a cluster, a request) is a field, not part of the message. Every field value and the
/// message pass ``LogValue/clean(_:)`` (secrets redacted, control characters escaped): one event is one line.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }
    }

    /// How a line begins.
    public enum LineStyle: Sendable {
        /// `2026-11-24T10:00:00Z info disco-sm: …`
        case timestamped
        /// `<6>info disco-sm: …`: for journald, which stamps the time itself and reads the `<N>` as the line's
        /// syslog priority (`journalctl -p warning` then finds warnings and worse).
        case journal
    }

    public var label: String
    public var level: Level
    public var metadata: [String: String]
    public var lineStyle = LineStyle.timestamped
    private let sink: @Sendable (String) -> Void
    private let writer: (any LogLineWriting)?

    public init(label: String, level: Level = .info, sink: @escaping @Sendable (String) -> Void = Logger.standardError) {
        self.label = label
        self.level = level
        self.metadata = [:]
        self.sink = sink
        self.writer = nil
    }

    /// A logger whose lines go through `writer` (`error` and above marked urgent).
    public init(label: String, level: Level = .info, writer: any LogLineWriting) {
        self.label = label
        self.level = level
        self.metadata = [:]
        self.sink = { writer.write($0, urgent: false) }
        self.writer = writer
    }

    /// Writes to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A logger that drops everything.
    public static var disabled: Logger { Logger(label: "disabled", level: .critical, sink: { _ in }) }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        guard level >= self.level else { return }
        emit(level, message(), fields: (metadata.isEmpty ? extra : metadata.merging(extra) { $1 }).sorted { $0.key < $1.key })
    }

    /// Like ``log(_:_:_:)`` with the extra fields already in key order (no dictionary, no sort: for hot paths).
    public func log(_ level: Level, _ message: @autoclosure () -> String, sortedFields extra: [(key: String, value: String)]) {
        guard level >= self.level else { return }
        if metadata.isEmpty {
            emit(level, message(), fields: extra)
        } else {
            let merged = metadata.merging(extra.map { ($0.key, $0.value) }) { $1 }
            emit(level, message(), fields: merged.sorted { $0.key < $1.key })
        }
    }

    private func emit(_ level: Level, _ message: String, fields: [(key: String, value: String)]) {
        var line: String
        switch lineStyle {
        case .timestamped:
            line = LogTimestamp.now()
            line.reserveCapacity(96 + fields.count * 24)
            line += " "
        case .journal:
            line = "<\(level.syslogPriority)>"
            line.reserveCapacity(80 + fields.count * 24)
        }
        line += level.name
        line += " "
        line += label
        line += ": "
        line += LogValue.clean(message)
        for (key, value) in fields {
            line += " "
            line += key
            line += "="
            Self.appendQuotedIfNeeded(LogValue.clean(value), to: &line)
        }
        if let writer {
            writer.write(line, urgent: level >= .error)
        } else {
            sink(line)
        }
    }

    public func debug(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.debug, message(), extra) }
    public func info(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.info, message(), extra) }
    public func warning(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.warning, message(), extra) }
    public func error(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.error, message(), extra) }

    /// A copy with one more metadata field.
    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.metadata[key] = value
        return copy
    }

    /// Appends `value`, in double quotes (its own `"` as `'`) if it holds a space, `"` or `=`.
    private static func appendQuotedIfNeeded(_ value: String, to line: inout String) {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "=") }) else {
            line += value
            return
        }
        line += "\""
        line += value.utf8.contains(UInt8(ascii: "\"")) ? value.replacingOccurrences(of: "\"", with: "'") : value
        line += "\""
    }
}

extension Logger.Level {
    /// `info`, `error`, … as written in log lines.
    public var name: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// The syslog priority: 7 (debug) to 2 (critical).
    public var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
