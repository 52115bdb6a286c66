import Foundation

// Everything but reading the process's arguments and environment and exiting lives in CLI (Commands/CLI.swift).
let status = await CLI.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(status)
