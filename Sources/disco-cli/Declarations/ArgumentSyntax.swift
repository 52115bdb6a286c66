import DiscoRuntime

/// A positional argument as help and completion see it.
struct ArgumentSyntax: Sendable, Equatable {
    /// `<cluster>`.
    var label: String
    var help: String
    var completion: ValueCompletion = .none
}
