#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiscoCore
import Foundation

/// Questions with defaults and validation: a bad answer is explained and the question asked again.
struct Prompter {
    var console: Console

    /// Thrown when input ends (Ctrl-D) in the middle of a dialogue.
    struct EndOfInput: Error {}

    /// Asks until `validate` accepts the answer (an empty answer means `defaultValue` when there is one).
    func ask<T>(_ question: String, default defaultValue: String? = nil, secret: Bool = false,
                validate: (String) -> Result<T, PromptProblem>) throws(EndOfInput) -> T {
        let suffix = defaultValue.map { " [\($0)]" } ?? ""
        let prompt = console.paint("?", .cyan) + " " + question + suffix + ": "
        while true {
            guard let raw = secret ? console.askSecret(prompt) : console.ask(prompt) else { throw EndOfInput() }
            var answer = secret ? raw : raw.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty, let defaultValue { answer = defaultValue }
            switch validate(answer) {
            case let .success(value): return value
            case let .failure(problem): console.print("  " + console.paint("✗ " + problem.message, .red))
            }
        }
    }

    /// A yes/no question.
    func confirm(_ question: String, default defaultYes: Bool) throws(EndOfInput) -> Bool {
        try ask(question + (defaultYes ? " [Y/n]" : " [y/N]"), default: nil) { answer in
            switch answer.lowercased() {
            case "": .success(defaultYes)
            case "y", "yes": .success(true)
            case "n", "no": .success(false)
            default: .failure(PromptProblem("answer y or n"))
            }
        }
    }

    /// Picks one of `choices` by number or name.
    func choose(_ question: String, from choices: [String], labels: [String]? = nil, default defaultValue: String?)
        throws(EndOfInput) -> String {
        for (index, choice) in choices.enumerated() {
            console.print("  \(console.paint(String(index + 1), .bold))) \(labels?[index] ?? choice)")
        }
        return try ask(question, default: defaultValue) { answer in
            if let number = Int(answer), choices.indices.contains(number - 1) { return .success(choices[number - 1]) }
            if choices.contains(answer) { return .success(answer) }
            let hint = closestMatch(to: answer, in: choices).map { "; did you mean '\($0)'?" } ?? ""
            return .failure(PromptProblem("'\(answer)' is not one of the choices (1–\(choices.count) or a name)\(hint)"))
        }
    }
}

/// Why an answer was refused.
struct PromptProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
