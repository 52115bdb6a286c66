/// One thing wrong with a request: where, what was found, what is wrong, and what is accepted.
public struct SpecProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field path, e.g. `workers`, `master.flavor`, `components.jupyter.password`.
    public var path: String
    /// The offending value as given; `nil` when missing or secret.
    public var found: String?
    /// What is wrong, e.g. `is not allowed`.
    public var problem: String
    /// What would be accepted, e.g. `0…1000`; empty when there is nothing useful to say.
    public var accepted: String

    public init(path: String, found: String?, problem: String, accepted: String) {
        self.path = path
        self.found = found
        self.problem = problem
        self.accepted = accepted
    }

    /// `workers: -1 is not allowed; use 0…1000`: one line, whatever the input held (line breaks as `\n`).
    public var description: String {
        let subject = found.map { "\($0.count > 80 ? String($0.prefix(77)) + "..." : $0) " } ?? ""
        return LogValue.escapingControls("\(path): \(subject)\(problem)" + (accepted.isEmpty ? "" : "; use \(accepted)"))
    }
}
