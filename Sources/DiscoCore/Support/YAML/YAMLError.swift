/// A YAML file that cannot be read, or a value of the wrong shape: names the file, line, column and key path, never a
/// value (the files hold passwords).
package struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    /// 1-based; 0 when no line applies (a JSON file, a missing key).
    package var line: Int
    /// 1-based; 0 when the line alone says enough.
    package var column: Int
    /// Keys from the top, `clouds.mycloud.auth`; list items as `regions[0]`; empty at the top level.
    package var path: String
    package var message: String

    package init(file: String, line: Int, column: Int = 0, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `clouds.yaml:7:5: clouds.mycloud.auth: message`
    package var description: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if line > 0 && column > 0 { location += ":\(column)" }
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}
