#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where the CLI writes and reads, and what kind of terminal that is.
///
/// The process uses ``Console/standard(environment:noColor:)``; tests use ``Console/capturing(input:isTTY:width:)``
/// and read ``OutputBuffer/text`` afterwards.
final class Console: @unchecked Sendable {
    /// Whether standard output is a terminal (live redraws, colour, unicode bars).
    let isOutputTTY: Bool
    /// Whether standard input is a terminal: the only case in which the CLI prompts.
    let isInputTTY: Bool
    /// Columns available for tables: the terminal's width, `COLUMNS`, or 80.
    let width: Int
    /// Colour is used only on a terminal and never with `NO_COLOR` or `--no-color`.
    let useColor: Bool
    let input: any LineReading
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void

    init(isOutputTTY: Bool, isInputTTY: Bool, width: Int, useColor: Bool, input: any LineReading,
         out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.isOutputTTY = isOutputTTY
        self.isInputTTY = isInputTTY
        self.width = max(20, width)
        self.useColor = useColor
        self.input = input
        self.writeOut = out
        self.writeErr = err
    }

    /// The process's own terminal.
    static func standard(environment: [String: String], noColor: Bool = false) -> Console {
        let outTTY = isatty(1) == 1
        let inTTY = isatty(0) == 1
        let color = outTTY && !noColor && environment["NO_COLOR"].map(\.isEmpty) != false && environment["TERM"] != "dumb"
        return Console(isOutputTTY: outTTY, isInputTTY: inTTY, width: TerminalSize.columns(environment: environment),
                       useColor: color, input: TerminalInput(),
                       out: { FileHandle.standardOutput.write(Data($0.utf8)) },
                       err: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// A console that records what is written, for tests.
    static func capturing(input: [String] = [], isTTY: Bool = false, width: Int = 100, color: Bool = false)
        -> (Console, OutputBuffer, OutputBuffer) {
        let out = OutputBuffer(), err = OutputBuffer()
        let console = Console(isOutputTTY: isTTY, isInputTTY: isTTY, width: width, useColor: color,
                              input: ScriptedInput(input, echo: out), out: { out.append($0) }, err: { err.append($0) })
        return (console, out, err)
    }

    /// The same console with colour switched off (for `--no-color` seen after the console was made).
    func withoutColor() -> Console {
        Console(isOutputTTY: isOutputTTY, isInputTTY: isInputTTY, width: width, useColor: false, input: input,
                out: writeOut, err: writeErr)
    }

    /// Writes a line (or `text` as is with `terminator: ""`) to standard output.
    func print(_ text: String = "", terminator: String = "\n") { writeOut(text + terminator) }

    /// Writes a line to standard error.
    func printError(_ text: String, terminator: String = "\n") { writeErr(text + terminator) }

    /// `text` in `style` when colour is on.
    func paint(_ text: String, _ style: Style?) -> String {
        guard useColor, let style, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// Reads one line after showing `prompt`; `nil` at end of input.
    func ask(_ prompt: String) -> String? {
        input.readLine(prompt: prompt, console: self)
    }

    /// Reads one line without echo (termios) after showing `prompt`; `nil` at end of input.
    func askSecret(_ prompt: String) -> String? {
        input.readSecret(prompt: prompt, console: self)
    }
}
