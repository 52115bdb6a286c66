import Foundation

extension DecodingError {
    /// The field path (`master.flavor`, `tags[2]`) of the failure.
    package var fieldPath: String {
        let context: Context
        switch self {
        case let .keyNotFound(key, c):
            return (c.codingPath + [key]).map(Self.segment).joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c):
            context = c
        @unknown default:
            return ""
        }
        return context.codingPath.map(Self.segment).joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    /// A sentence saying where and what was wrong, without Swift type noise.
    package var readableDescription: String {
        let path = fieldPath
        let (problem, accepted) = problemAndAccepted
        return (path.isEmpty ? "" : "\(path): ") + problem + (accepted.isEmpty ? "" : "; use \(accepted)")
    }

    /// What was wrong (`is missing`, `is a string`) and what would be accepted (`a number`; empty when unknown).
    package var problemAndAccepted: (problem: String, accepted: String) {
        switch self {
        case .keyNotFound:
            return ("is missing", "")
        case let .typeMismatch(type, context):
            // "Expected to decode Int but found a string instead."
            let found = context.debugDescription.range(of: "but found ").map { range in
                context.debugDescription[range.upperBound...].replacingOccurrences(of: " instead.", with: "")
            }
            return (found.map { "is \($0)" } ?? "is of the wrong type", Self.kind(type))
        case let .valueNotFound(type, _):
            return ("is null", Self.kind(type))
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return (underlying ?? context.debugDescription, "")
        @unknown default:
            return ("\(self)", "")
        }
    }

    private static func segment(_ key: any CodingKey) -> String {
        key.intValue.map { "[\($0)]" } ?? key.stringValue
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
