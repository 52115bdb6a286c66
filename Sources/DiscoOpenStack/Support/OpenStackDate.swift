import Foundation
import DiscoCore

/// Heat and Keystone timestamps: `2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.000000Z`, or without a zone.
enum OpenStackDate {
    static func parse(_ text: String?) -> Date? {
        guard var text, !text.isEmpty else { return nil }
        if !text.hasSuffix("Z") && !text.contains("+") && text.count <= 26 { text += "Z" }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        // Microseconds (6 digits) are not always accepted: cut to milliseconds.
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = text[text.index(after: dot)..<end]
            let trimmed = String(text[..<dot]) + "." + String(digits.prefix(3)) + String(text[end...])
            return fractional.date(from: trimmed)
        }
        return nil
    }

    /// `2024-05-01T10:00:00Z` (Heat style).
    static func heat(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `2024-05-01T10:00:00.000000Z` (Keystone style).
    static func keystone(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = formatter.string(from: date) // …:00.000Z
        return text.replacingOccurrences(of: "Z", with: "000Z")
    }
}
