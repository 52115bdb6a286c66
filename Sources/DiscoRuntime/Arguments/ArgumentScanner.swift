import Foundation

/// Walks a command line: options (`-f value`, `--flag value`, `--flag=value`), positional arguments and `--`.
///
/// The one scanner of `disco-cli`, `disco-sm` and `disco-sm simulate-cloud`. It knows no option names: the caller asks
/// for the next option, looks it up in its declarations and reads the option's value (or checks it has none);
/// ``read(into:options:arguments:stoppingAt:stopsWhenArgumentsAreFilled:otherOption:)`` is that loop, shared by all three. A word
/// that parses as a number (`-1`) is a positional argument, not an option; after `--` every word is positional.
package struct ArgumentScanner: Sendable {
    /// What a value may look like.
    package enum ValuePolicy: Sendable {
        /// Not a word that starts with `-` (so `--name --wait` is a missing value), except a number.
        case notAnOption
        /// As ``notAnOption``, and also `-` alone (standard input or output).
        case notAnOptionOrDash
        /// Any next word (`--token -abc`).
        case anyWord
    }

    package private(set) var arguments: [String]
    package private(set) var index = 0
    /// The value split off the last `--flag=value`, until read.
    private var attachedValue: String?
    private var afterDoubleDash = false

    /// Whether a `--` was read: every word from here on is positional.
    package var isPastDoubleDash: Bool { afterDoubleDash }

    package init(_ arguments: [String]) {
        self.arguments = arguments
    }

    /// The words not read yet.
    package var remaining: [String] { Array(arguments[index...]) }

    package func peek() -> String? { index < arguments.count ? arguments[index] : nil }

    /// The next word, whatever it is.
    package mutating func next() -> String? {
        guard index < arguments.count else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    /// Whether `word` is an option rather than a positional argument.
    package static func isOption(_ word: String) -> Bool {
        word.hasPrefix("-") && word != "-" && Double(word) == nil
    }

    /// The next option's name (`--flag` of `--flag=value`), read; `nil` when a positional argument, `--` or the end
    /// comes. A `--` is read and ends the options for good.
    package mutating func nextOption() -> String? {
        guard !afterDoubleDash, let word = peek() else { return nil }
        if word == "--" {
            afterDoubleDash = true
            index += 1
            return nil
        }
        guard Self.isOption(word) else { return nil }
        index += 1
        if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
            attachedValue = String(word[word.index(after: equals)...])
            return String(word[..<equals])
        }
        return word
    }

    /// The next positional argument, read; `nil` when an option or the end comes.
    package mutating func nextPositional() -> String? {
        guard let word = peek(), afterDoubleDash || !Self.isOption(word) else { return nil }
        index += 1
        return word
    }

    /// Every word not read yet, read.
    package mutating func takeRemaining() -> [String] {
        defer { index = arguments.count }
        return remaining
    }

    /// The value of `option`, just read by ``nextOption()``: from `--option=value` or the next word.
    package mutating func value(for option: String, accepting policy: ValuePolicy = .notAnOption) throws(ArgumentError) -> String {
        if let attached = attachedValue {
            attachedValue = nil
            guard !attached.isEmpty else { throw .missingValue(option: option) }
            return attached
        }
        guard let word = peek() else { throw .missingValue(option: option) }
        switch policy {
        case .notAnOption where Self.isOption(word) || word == "-": throw .missingValue(option: option)
        case .notAnOptionOrDash where Self.isOption(word): throw .missingValue(option: option)
        case .anyWord where word.isEmpty: throw .missingValue(option: option)
        default: break
        }
        index += 1
        return word
    }

    /// Checks that the flag `option`, just read, was not given a value (`--json=yes`).
    package mutating func flag(_ option: String) throws(ArgumentError) {
        guard attachedValue != nil else { return }
        attachedValue = nil
        throw .unexpectedValue(option: option)
    }

    /// A whole number in `range`.
    package mutating func integer(for option: String, in range: ClosedRange<Int>, accepted: String? = nil) throws(ArgumentError) -> Int {
        let text = try value(for: option)
        guard let number = Int(text), range.contains(number) else {
            throw .invalidValue(option: option, value: text,
                                accepted: accepted ?? "a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    /// Seconds of at least `minimum`, as `90`, `1.5`, `30s`, `10m`, `2h` or `7d`.
    package mutating func seconds(for option: String, minimum: Double) throws(ArgumentError) -> Double {
        let text = try value(for: option)
        guard let seconds = Self.duration(text), seconds >= minimum else {
            throw .invalidValue(option: option, value: text,
                                accepted: "a duration of at least \(minimum.formatted()) s; use e.g. 30, 30s, 10m, 2h, 7d")
        }
        return seconds
    }

    /// Seconds in `text` (`90`, `1.5`, `30s`, `10m`, `2h`, `7d`), or `nil`.
    package static func duration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let last = text.last, let unit = units[last] {
            return Double(text.dropLast()).map { $0 * unit }
        }
        return Double(text)
    }
}
