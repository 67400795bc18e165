import ArgumentParser
import Foundation
import IPConfiguration
import Operations

/// `integrasjonspunkt doctor`: checks configuration, keystore, clock, database and the national services, prints a
/// table, and exits non-zero when anything failed.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check everything the integration point needs and print what to do about what is wrong.",
        discussion: """
        Reads the configuration as `serve` does (the same files, environment and --key=value overrides) and checks: \
        the configuration (every problem at once), the keystore and its certificate (key match, days to expiry), \
        the certificate the service registry has for the organisation, the clock against difi.move.ntp.host, the \
        database, a Maskinporten token for the enabled channels' scopes, the service registry, and each enabled \
        channel's endpoint. Exits 1 when a check failed.
        """)

    @Option(name: .long, help: "A properties or YAML file read after the ones in the working directory.")
    var config: String?

    @Option(name: .long, help: "The profile whose defaults apply: production (default), staging or dev.")
    var profile: String?

    func run() async throws {
        let report = await Doctor().run {
            try ConfigurationLoader.load(
                commandLine: SpringArguments.current, environment: ProcessInfo.processInfo.environment,
                workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        }
        say(report.table())
        if report.failed { throw ExitCode(1) }
    }
}
