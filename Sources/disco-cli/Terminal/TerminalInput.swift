#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiscoCore
import Foundation

/// Standard input. Secrets are read with echo switched off through termios, restored afterwards.
struct TerminalInput: LineReading {
    func readLine(prompt: String, console: Console) -> String? {
        console.print(prompt, terminator: "")
        return Swift.readLine(strippingNewline: true)
    }

    func readSecret(prompt: String, console: Console) -> String? {
        var saved = termios()
        guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else {
            console.print(prompt, terminator: "")
            return Swift.readLine(strippingNewline: true)
        }
        // Echo goes off before the prompt appears, so nothing typed in answer is ever shown; TCSANOW (not
        // TCSAFLUSH) keeps what was typed.
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        tcsetattr(0, TCSANOW, &quiet)
        defer { tcsetattr(0, TCSANOW, &saved) }
        console.print(prompt, terminator: "")
        return Swift.readLine(strippingNewline: true)
    }
}
