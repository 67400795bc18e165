import ArgumentParser
import Foundation

/// `integrasjonspunkt [serve|version|…]`. Spring-style `--key=value` overrides (`--server.port=9095`) are read by
/// the configuration loader and hidden from the argument parser.
@main
struct IntegrasjonspunktCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integrasjonspunkt",
        abstract: "The eFormidling integration point: the NextMove REST API in front of the national message channels.",
        version: BuildInfo.versionLine,
        subcommands: [ServeCommand.self, SandboxCommand.self, DoctorCommand.self, VersionCommand.self,
                      BackupCommand.self, RestoreCommand.self, MigrateStoreCommand.self],
        defaultSubcommand: ServeCommand.self)

    static func main() async {
        let all = Array(CommandLine.arguments.dropFirst())
        let split = SpringArguments.split(all)
        SpringArguments.current = split.overrides
        do {
            var command = try parseAsRoot(split.commandArguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Separates configuration overrides (`--difi.move.org.number=…`, `--config FILE`, `--profile NAME`) from the
/// arguments the command parser understands.
enum SpringArguments {
    nonisolated(unsafe) static var current: [String] = []

    static func split(_ arguments: [String]) -> (overrides: [String], commandArguments: [String]) {
        var overrides: [String] = []
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.hasPrefix("--") ? String(argument.dropFirst(2).prefix { $0 != "=" }) : ""
            if name == "config" || name == "profile" {
                overrides.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    overrides.append(arguments[index + 1])
                    index += 1
                }
            } else if name.contains(".") {
                overrides.append(argument)
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return (overrides, rest)
    }
}
