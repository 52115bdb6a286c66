import Foundation

// Wiring only: the server is the DiscoServer library.
let code = await ServerMain.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(code)
