/// One positional argument of a command, in order.
package struct ArgumentDeclaration<Target: Sendable>: Sendable {
    package typealias Apply = @Sendable (_ target: inout Target, _ value: String) throws(ArgumentError) -> Void

    package var syntax: ArgumentSyntax
    /// Missing at the end: ``ArgumentError/missingArgument(_:purpose:)``.
    package var isRequired: Bool
    package var apply: Apply

    package init(_ label: String, help: String, isRequired: Bool = true, completion: ValueCompletion = .none,
                 apply: @escaping Apply) {
        syntax = ArgumentSyntax(label: label, help: help, completion: completion)
        self.isRequired = isRequired
        self.apply = apply
    }
}
