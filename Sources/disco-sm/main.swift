import Foundation

// Wiring only: everything else is in types tested through `@testable import disco_sm`.
let code = await ServerMain.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(code)
