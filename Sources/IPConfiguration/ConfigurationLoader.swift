import Foundation

/// Reads the configuration the way the upstream Spring Boot application does, and validates all of it at once.
///
/// Precedence, highest first:
/// 1. command-line overrides (`--server.port=9095`, `-Ddifi.move.org.number=…`);
/// 2. environment variables (`DIFI_MOVE_ORG_NUMBER`, relaxed);
/// 3. files given with `--config FILE` (later ones win), then in the working directory
///    `integrasjonspunkt-local.properties` > `.yml` > `.yaml`;
/// 4. the profile's defaults (`production` unless `--profile`, `--spring.profiles.active` or
///    `SPRING_PROFILES_ACTIVE` says otherwise);
/// 5. the built-in defaults (the upstream's `application.properties`).
public enum ConfigurationLoader {
    /// The local files read from the working directory, lowest precedence first.
    public static let localFileNames = [
        "integrasjonspunkt-local.yaml", "integrasjonspunkt-local.yml", "integrasjonspunkt-local.properties",
    ]

    /// Environment variables whose first `_`-separated word is one of these are read even when they name no
    /// key this gateway knows.
    static let environmentPrefixes: Set<String> = ["difi", "server", "spring", "logging", "app", "management"]

    /// Loads, layers, resolves and validates the configuration.
    ///
    /// - Parameters:
    ///   - commandLine: the raw arguments (without the program name); configuration options are taken out,
    ///     the rest is returned in ``LoadedConfiguration/remainingArguments``.
    ///   - environment: the process environment.
    ///   - workingDirectory: where the local files are looked for and relative paths start.
    /// - Throws: ``ConfigurationError`` listing every problem found.
    public static func load(
        commandLine: [String], environment: [String: String], workingDirectory: URL
    ) throws(ConfigurationError) -> LoadedConfiguration {
        let arguments = CommandLineOverrides(commandLine)
        var problems = arguments.problems
        var sources: [String] = []
        var userLayers: [ConfigurationValues.Layer] = []

        for name in localFileNames {
            let url = workingDirectory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            if let layer = readFile(url, problems: &problems) {
                userLayers.append(layer)
                sources.append(url.path)
            }
        }
        for file in arguments.configFiles {
            var path = file.path
            if path.lowercased().hasPrefix("file:") { path = String(path.dropFirst(5)) }
            let url = path.hasPrefix("/")
                ? URL(fileURLWithPath: path)
                : workingDirectory.appendingPathComponent(path).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                if !file.optional {
                    problems.append(ConfigurationProblem(
                        key: "--config", value: file.path, problem: "names a file that does not exist (\(url.path))",
                        fix: "Check the path; relative paths start in the working directory \(workingDirectory.path)."))
                }
                continue
            }
            if let layer = readFile(url, problems: &problems) {
                userLayers.append(layer)
                sources.append(url.path)
            }
        }
        userLayers.append(environmentLayer(environment))
        userLayers.append(ConfigurationValues.Layer(
            name: "command line", entries: arguments.overrides.map { ($0.key, $0.value, "command line") }))

        return try finish(userLayers: userLayers, explicitProfile: arguments.profile, environment: environment,
                          workingDirectory: workingDirectory, checkFiles: true, sources: sources,
                          remainingArguments: arguments.remainingArguments, problems: problems)
    }

    /// Loads a configuration from a map that stands in for the configuration file, with no environment and no
    /// command line. Files named by the configuration (keystores) are not checked for existence.
    /// For tests and the sandbox.
    public static func load(
        properties: [String: String],
        profile: Profile? = nil,
        workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws(ConfigurationError) -> LoadedConfiguration {
        let layer = ConfigurationValues.Layer(
            name: "properties", pairs: properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        return try finish(userLayers: [layer], explicitProfile: profile?.rawValue, environment: [:],
                          workingDirectory: workingDirectory, checkFiles: false, sources: [],
                          remainingArguments: [], problems: [])
    }

    // MARK: Steps

    private static func finish(
        userLayers: [ConfigurationValues.Layer], explicitProfile: String?, environment: [String: String],
        workingDirectory: URL, checkFiles: Bool, sources: [String], remainingArguments: [String],
        problems initialProblems: [ConfigurationProblem]
    ) throws(ConfigurationError) -> LoadedConfiguration {
        var problems = initialProblems
        var warnings: [String] = []

        let userOnly = ConfigurationValues(layers: userLayers, environment: environment)
        let profileText = explicitProfile ?? userOnly.string("spring.profiles.active")
        let profile = chooseProfile(profileText, problems: &problems, warnings: &warnings)

        let layers = [
            ConfigurationValues.Layer(name: "built-in default", isDefault: true, pairs: BuiltInDefaults.base),
            ConfigurationValues.Layer(name: "profile \(profile)", isDefault: true,
                                      pairs: BuiltInDefaults.profile(profile)),
        ] + userLayers
        let values = ConfigurationValues(layers: layers, environment: environment)
        var binder = ConfigurationBinder(raw: values, profile: profile, workingDirectory: workingDirectory,
                                         checkFiles: checkFiles)
        let configuration = binder.bind()
        problems += binder.problems
        warnings += binder.warnings
        guard problems.isEmpty else { throw ConfigurationError(problems: problems, warnings: warnings) }
        return LoadedConfiguration(configuration: configuration, warnings: warnings, profile: profile,
                                   sources: sources, remainingArguments: remainingArguments)
    }

    private static func chooseProfile(
        _ text: String?, problems: inout [ConfigurationProblem], warnings: inout [String]
    ) -> Profile {
        guard let text, !text.trimmingWhitespace().isEmpty else { return .production }
        let names = ValueSyntax.list(text)
        let known = names.compactMap { Profile(rawValue: $0.lowercased()) }
        let ignored = names.filter { Profile(rawValue: $0.lowercased()) == nil }
        guard let chosen = known.first else {
            problems.append(ConfigurationProblem(
                key: "spring.profiles.active", value: text, problem: "names no known profile",
                fix: "Use production, staging or dev (--profile NAME or SPRING_PROFILES_ACTIVE=NAME)."))
            return .production
        }
        if known.count > 1 || !ignored.isEmpty {
            let others = (known.dropFirst().map(\.rawValue) + ignored).joined(separator: ", ")
            warnings.append("spring.profiles.active=\(text): using profile \(chosen); ignoring \(others).")
        }
        return chosen
    }

    /// A properties or YAML file as a layer (by extension: `.yml`/`.yaml` is YAML, anything else properties).
    private static func readFile(_ url: URL, problems: inout [ConfigurationProblem]) -> ConfigurationValues.Layer? {
        let path = url.path
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(ConfigurationProblem(
                key: path, value: nil, problem: "cannot be read",
                fix: "Check that the file is readable by the user running the integration point."))
            return nil
        }
        // UTF-8 first; files saved by older Windows editors are ISO-8859-1, as Java reads .properties.
        let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
        let ext = url.pathExtension.lowercased()
        if ext == "yml" || ext == "yaml" {
            do {
                let entries = try YAMLFlattener.flatten(text)
                return .init(name: path, entries: entries.map {
                    ($0.key, $0.value, $0.line.map { "\(path):\($0)" } ?? path)
                })
            } catch {
                problems.append(ConfigurationProblem(
                    key: path, value: nil, problem: "is not valid YAML (\(error.description))",
                    fix: "Fix the YAML syntax; indent with spaces, not tabs."))
                return nil
            }
        }
        let parsed = JavaProperties.parse(text)
        for problem in parsed.problems {
            problems.append(ConfigurationProblem(
                key: "\(path):\(problem.line)", value: nil, problem: problem.message,
                fix: "Write \\u followed by four hexadecimal digits, or \\\\ for a backslash."))
        }
        return .init(name: path, entries: parsed.entries.map { ($0.key, $0.value, "\(path):\($0.line)") })
    }

    /// Environment variables as keys. A variable matches a known key when both are equal with every separator
    /// removed, case-insensitively (`DIFI_MOVE_NEXTMOVE_DEFAULT_TTL_HOURS`, `DIFI_MOVE_NEXTMOVE_DEFAULTTTLHOURS`);
    /// other variables are read only under the `difi`, `server`, `spring`, `logging`, `app` and `management`
    /// prefixes, with `_` as the dot (Spring's rule).
    static func environmentLayer(_ environment: [String: String]) -> ConfigurationValues.Layer {
        var entries: [(key: String, value: String, source: String)] = []
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            let source = "environment variable \(name)"
            if let known = BuiltInDefaults.knownBySquashedName[RelaxedKey.squashed(name)] {
                entries.append((KnownKeys.spellings[known] ?? known, value, source))
                continue
            }
            let firstWord = name.split(whereSeparator: { $0 == "_" || $0 == "." }).first.map { $0.lowercased() }
            guard let firstWord, environmentPrefixes.contains(firstWord) else { continue }
            entries.append((name.contains(".") ? name : RelaxedKey.fromEnvironmentName(name), value, source))
        }
        return .init(name: "environment", entries: entries)
    }
}
