/// A positional argument as help and completion see it.
package struct ArgumentSyntax: Sendable, Equatable {
    /// `<cluster>`.
    package var label: String
    package var help: String
    package var completion: ValueCompletion = .none

    package init(label: String, help: String, completion: ValueCompletion = .none) {
        self.label = label
        self.help = help
        self.completion = completion
    }
}
