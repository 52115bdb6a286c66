/// A request that failed validation, with every problem found.
public struct SpecValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [SpecProblem]
    public init(problems: [SpecProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
