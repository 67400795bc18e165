/// The result of ``ConfigurationLoader``: the validated configuration and what to tell the operator.
public struct LoadedConfiguration: Sendable {
    public var configuration: IntegrasjonspunktConfiguration
    /// Notes to log at start-up: keys accepted and ignored, likely typos, H2 URLs mapped to SQLite.
    public var warnings: [String]
    public var profile: Profile
    /// The configuration files read, lowest precedence first.
    public var sources: [String]
    /// The command-line arguments the configuration did not take, in order, for the CLI parser.
    public var remainingArguments: [String]

    public init(configuration: IntegrasjonspunktConfiguration, warnings: [String], profile: Profile,
                sources: [String], remainingArguments: [String]) {
        self.configuration = configuration
        self.warnings = warnings
        self.profile = profile
        self.sources = sources
        self.remainingArguments = remainingArguments
    }
}
