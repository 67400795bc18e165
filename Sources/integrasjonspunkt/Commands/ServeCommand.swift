import ArgumentParser
import Foundation
import IPConfiguration
import Logging

/// Starts the integration point: the API, the outbox worker, the pollers and the sweepers.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the integration point (the default).",
        discussion: """
        Configuration is read from integrasjonspunkt-local.properties (or .yml/.yaml) in the working directory, \
        the file given with --config FILE, environment variables (DIFI_MOVE_ORG_NUMBER = difi.move.org.number) \
        and --key=value arguments, in rising order of precedence. Select a profile (production, staging, dev) \
        with --profile NAME or SPRING_PROFILES_ACTIVE.
        """)

    @Option(name: .long, help: "A properties or YAML file read after the ones in the working directory.")
    var config: String?

    @Option(name: .long, help: "The profile whose defaults apply: production (default), staging or dev.")
    var profile: String?

    func run() async throws {
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader.load(
                commandLine: SpringArguments.current, environment: ProcessInfo.processInfo.environment,
                workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        let logger = LogSetup.bootstrap(loaded.configuration)
        for warning in loaded.warnings { logger.warning("\(warning)") }
        logger.info("Starting \(BuildInfo.versionLine) for organisation \(loaded.configuration.org.number) (profile \(loaded.profile.rawValue); read \(loaded.sources.joined(separator: ", ")))")
        let node: IntegrationPointNode
        do {
            node = try await IntegrationPointNode.assemble(loaded.configuration, logger: logger)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        try await node.run()
    }
}
