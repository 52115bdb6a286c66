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
        let prefix = path.isEmpty ? "" : "\(path): "
        switch self {
        case .keyNotFound:
            return "\(path): is missing"
        case let .typeMismatch(type, _):
            return "\(prefix)expected \(Self.kind(type))"
        case let .valueNotFound(type, _):
            return "\(prefix)expected \(Self.kind(type)), found null"
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return prefix + (underlying ?? context.debugDescription)
        @unknown default:
            return "\(self)"
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
