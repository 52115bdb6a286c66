import DiscoRuntime

/// One positional argument of a command, in order.
struct ArgumentDeclaration<Target: Sendable>: Sendable {
    typealias Apply = @Sendable (_ target: inout Target, _ value: String) throws(ArgumentError) -> Void

    var syntax: ArgumentSyntax
    /// Missing at the end: ``ArgumentError/missingArgument(_:purpose:)``.
    var isRequired: Bool
    var apply: Apply

    init(_ label: String, help: String, isRequired: Bool = true, completion: ValueCompletion = .none, apply: @escaping Apply) {
        syntax = ArgumentSyntax(label: label, help: help, completion: completion)
        self.isRequired = isRequired
        self.apply = apply
    }
}
