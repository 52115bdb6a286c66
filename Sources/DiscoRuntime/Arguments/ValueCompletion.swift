/// What the shell offers for an option's value or a positional argument.
package enum ValueCompletion: Sendable, Equatable {
    /// Nothing: the user types it.
    case none
    /// File names.
    case files
    /// One of these words.
    case words([String])
    /// disco-cli's command names (for `help <subcommand>`).
    case commands
    /// The names of the user's clusters, asked of the server with `disco-cli list --names` when completing.
    case clusters
}
