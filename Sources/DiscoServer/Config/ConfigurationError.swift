/// A configuration problem, naming the file, line and key.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var line: Int?
    /// Where in the file, as `[section] key` or `[section]`.
    package var key: String?
    package var message: String

    package var description: String {
        var location = path
        if let line { location += ":\(line)" }
        if let key { location += ": \(key)" }
        return "\(location): \(message)"
    }
}
