/// A `clouds.yaml` problem: a file that does not read, a cloud that is missing or set up in a way disco-cli cannot use.
/// Never holds a password.
package struct CloudConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
