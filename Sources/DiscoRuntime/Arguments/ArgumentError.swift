/// A command line that cannot be understood: which option or argument, and what is accepted.
///
/// Shared by `disco-cli`, `disco-sm` and `disco-sm simulate-cloud`; each prints it as `Error: <description>` followed by
/// its usage and exits with status 64.
package enum ArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option no one declared: `unknown option '--frob'`.
    case unknownOption(String)
    /// An option that takes a value was given none: `--port needs a value`.
    case missingValue(option: String)
    /// A flag was given a value (`--json=yes`): `--json takes no value`.
    case unexpectedValue(option: String)
    /// A value outside what the option accepts: `-w: 'lots' is not a whole number in 0…1000`.
    case invalidValue(option: String, value: String, accepted: String)
    /// A positional argument no one expects: `unexpected argument 'b'`.
    case unexpectedArgument(String)
    /// A required positional argument is missing: `missing <cluster>`, with what it is for when given.
    case missingArgument(String, purpose: String? = nil)
    /// A rule between arguments, or a value's form, that the other cases do not name (the message says it whole).
    case invalid(String)

    package var description: String {
        switch self {
        case let .unknownOption(option): "unknown option '\(option)'"
        case let .missingValue(option): "\(option) needs a value"
        case let .unexpectedValue(option): "\(option) takes no value"
        case let .invalidValue(option, value, accepted): "\(option): '\(value)' is not \(accepted)"
        case let .unexpectedArgument(argument): "unexpected argument '\(argument)'"
        case let .missingArgument(label, purpose): "missing \(label)" + (purpose.map { ": \($0)" } ?? "")
        case let .invalid(message): message
        }
    }
}
