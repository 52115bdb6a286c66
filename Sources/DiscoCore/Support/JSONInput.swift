package import Foundation

/// Decoding of what users send as JSON (REST request bodies, the CLI's spec files): unknown fields are refused, and
/// every failure says where and what was wrong.
///
/// Foundation's `JSONDecoder` reports a syntax error, a fraction where a whole number belongs and a number too large
/// for one alike, as "The given data was not valid JSON", without a place. ``decode(_:from:)`` then reads the bytes
/// itself and names the line and column of a syntax error or the field of each such number.
///
/// ```swift
/// do {
///     let spec = try JSONInput.decode(ClusterSpec.self, from: body)
/// } catch {
///     print(error)  // workers: 1.5 is not a whole number; use a whole number such as 3
/// }
/// ```
package enum JSONInput {
    /// What was wrong, each with its field path (`body` for the document as a whole).
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var problems: [SpecProblem]
        package var description: String { problems.map(\.description).joined(separator: "; ") }
    }

    /// A decoder for user input: ISO 8601 dates, unknown fields refused (see ``Swift/Decoder/refuseUnknownKeys(_:)``).
    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.userInfo[.refusesUnknownKeys] = true
        return decoder
    }()

    /// Decodes user input; a ``ClusterSpec`` or ``NodeSpec`` takes `fallbacks` for the fields it leaves out.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data, fallbacks: SpecFallbacks? = nil) throws(Failure) -> T {
        let decoder: JSONDecoder
        if let fallbacks {
            decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            decoder.userInfo = Self.decoder.userInfo
            decoder.userInfo[.specFallbacks] = fallbacks
        } else {
            decoder = Self.decoder
        }
        guard !data.isEmpty else {
            throw Failure(problems: [SpecProblem(path: "body", found: nil, problem: "is empty", accepted: "a JSON object")])
        }
        do {
            return try decoder.decode(type, from: data)
        } catch let error as UnknownFieldError {
            throw Failure(problems: [error.problem])
        } catch let error as DecodingError {
            if case let .dataCorrupted(context) = error, context.codingPath.isEmpty {
                let found = diagnose(data)
                if !found.isEmpty { throw Failure(problems: found) }
            }
            let path = error.fieldPath
            let (problem, accepted) = error.problemAndAccepted
            throw Failure(problems: [SpecProblem(path: path.isEmpty ? "body" : path, found: nil, problem: problem, accepted: accepted)])
        } catch {
            throw Failure(problems: [SpecProblem(path: "body", found: nil, problem: "is not JSON (\(error.localizedDescription))",
                                                 accepted: "a JSON object")])
        }
    }

    /// The syntax error (with its line and column), or else every number that is not a whole number in `Int`'s range:
    /// all the numbers DISCO takes are counts, so one of those is what `JSONDecoder` refused.
    static func diagnose(_ data: Data) -> [SpecProblem] {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [SpecProblem] in
            var reader = JSONReader(raw)
            var problems: [SpecProblem] = []
            do throws(JSONReader.Failure) {
                try walk(&reader, path: "", depth: 0, into: &problems)
                try reader.end()
                return problems
            } catch {
                return [SpecProblem(path: "body", found: nil, problem: "\(location(of: error.offset, in: raw)): \(error.message)",
                                    accepted: "JSON (RFC 8259)")]
            }
        }
    }

    private static func walk(_ reader: inout JSONReader, path: String, depth: Int,
                             into problems: inout [SpecProblem]) throws(JSONReader.Failure) {
        guard depth < JSONReader.maximumDepth else { throw reader.failure("nested more than \(JSONReader.maximumDepth) levels deep") }
        switch reader.nextValueKind() {
        case .object:
            try reader.beginObject()
            while let key = try reader.nextKey() {
                let segment = key.count > 64 ? String(key.prefix(61)) + "..." : key
                try walk(&reader, path: path.isEmpty ? segment : "\(path).\(segment)", depth: depth + 1, into: &problems)
            }
        case .array:
            try reader.beginArray()
            var index = 0
            while try reader.nextElement() {
                try walk(&reader, path: "\(path)[\(index)]", depth: depth + 1, into: &problems)
                index += 1
            }
        case .string:
            _ = try reader.readString()
        case .bool:
            _ = try reader.readBool()
        case .null:
            guard reader.readNull() else { throw reader.failure("expected null") }
        case .number:
            let text = try reader.readNumberText()
            // Foundation takes `2.5e3` as 2500: only what it cannot make an Int of is a problem.
            guard JSONReader.integer(fromNumberText: text) == nil else { return }
            let isWhole = Double(text).map { $0.rounded() == $0 } ?? false
            problems.append(SpecProblem(path: path.isEmpty ? "body" : path,
                                        found: isSecret(path) ? nil : String(text.prefix(40)),
                                        problem: isWhole ? "is out of range" : "is not a whole number",
                                        accepted: isWhole ? "a whole number from \(Int.min) to \(Int.max)" : "a whole number such as 3"))
        case nil:
            throw reader.failure("expected a value (an object, array, string, number, true, false or null)")
        }
    }

    /// `line 2, column 14` (1-based; columns count bytes).
    private static func location(of offset: Int, in bytes: UnsafeRawBufferPointer) -> String {
        let end = min(offset, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return "line \(line), column \(end - lineStart + 1)" + (offset >= bytes.count ? " (end of input)" : "")
    }

    private static func isSecret(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return ["password", "secret", "token", "key"].contains { lowered.contains($0) }
    }
}

extension CodingUserInfoKey {
    /// Set to `true` to have ``Swift/Decoder/refuseUnknownKeys(_:)`` refuse fields a type does not know (user input;
    /// stored records leave it unset so that an older DISCO still reads a newer one's records).
    package static let refusesUnknownKeys = CodingUserInfoKey(rawValue: "disco.refusesUnknownKeys")!
}

/// A field a type does not know, found by ``Swift/Decoder/refuseUnknownKeys(_:)``.
package struct UnknownFieldError: Error, Sendable {
    /// The field's path, e.g. `master.flavour`.
    package var path: String
    /// The fields that would be accepted there.
    package var known: [String]

    package var problem: SpecProblem {
        let name = path.split(separator: ".").last.map(String.init) ?? path
        let hint = closestMatch(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
        return SpecProblem(path: path, found: nil, problem: "is not a field\(hint)", accepted: "one of: \(known.joined(separator: ", "))")
    }
}

extension Decoder {
    /// Throws ``UnknownFieldError`` for the first key (in sorted order) that `Keys` does not list, when the
    /// decoder's ``Swift/CodingUserInfoKey/refusesUnknownKeys`` is set: a mistyped optional field (`ttlSecond`)
    /// would otherwise be dropped without a word.
    package func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        guard userInfo[.refusesUnknownKeys] as? Bool == true else { return }
        let known = Keys.allCases.map(\.stringValue)
        let container = try container(keyedBy: AnyCodingKey.self)
        guard let unknown = container.allKeys.map(\.stringValue).filter({ !known.contains($0) }).min() else { return }
        let path = (codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } + [unknown])
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        throw UnknownFieldError(path: path, known: known)
    }
}

private struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue.count > 64 ? String(stringValue.prefix(61)) + "..." : stringValue }
    init?(intValue: Int) { nil }
}
