import Foundation

/// `JSONEncoder`/`JSONDecoder` set up as the store's format was defined by `Codable`: the reference the store's own
/// reader and writer are checked against.
enum StoreJSON {
    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
