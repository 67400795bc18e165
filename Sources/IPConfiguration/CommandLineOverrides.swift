/// What the configuration takes from the raw command line; everything else is left for the CLI parser.
///
/// * `--config FILE`, `--config=FILE`, and Spring's `--spring.config.location=…` /
///   `--spring.config.additional-location=…` (comma-separated, `file:` prefixes allowed): explicit config files;
/// * `--profile NAME`, `--profile=NAME`: the profile;
/// * `--a.b.c=value` (a key with a dot, Spring style) and `-Da.b.c=value` (as Java options): overrides.
///
/// Arguments after `--` are left alone.
struct CommandLineOverrides {
    var overrides: [(key: String, value: String)] = []
    var configFiles: [(path: String, optional: Bool)] = []
    var profile: String?
    var remainingArguments: [String] = []
    var problems: [ConfigurationProblem] = []

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                remainingArguments += arguments[(index - 1)...]
                break
            }
            if argument == "--config" || argument == "--profile" {
                guard index < arguments.count else {
                    problems.append(ConfigurationProblem(
                        key: argument, value: nil, problem: "needs a value",
                        fix: argument == "--config"
                            ? "Write --config FILE, e.g. --config /etc/integrasjonspunkt/integrasjonspunkt-local.properties."
                            : "Write --profile production, staging or dev."))
                    continue
                }
                take(option: argument, value: arguments[index])
                index += 1
                continue
            }
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                let name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
                let value = String(argument[argument.index(after: equals)...])
                if name == "config" || name == "profile" {
                    take(option: "--" + name, value: value)
                    continue
                }
                if name.contains(".") {
                    take(key: name, value: value)
                    continue
                }
            }
            if argument.hasPrefix("-D"), let equals = argument.firstIndex(of: "="), argument.count > 3 {
                let name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
                if name.contains(".") {
                    take(key: name, value: String(argument[argument.index(after: equals)...]))
                    continue
                }
            }
            remainingArguments.append(argument)
        }
    }

    private mutating func take(option: String, value: String) {
        if option == "--config" {
            configFiles.append((value, false))
        } else {
            profile = value
        }
    }

    private mutating func take(key: String, value: String) {
        switch RelaxedKey.canonical(key) {
        case "spring.config.location", "spring.config.additionallocation", "spring.config.import":
            for item in ValueSyntax.list(value) {
                let optional = item.hasPrefix("optional:")
                configFiles.append((optional ? String(item.dropFirst("optional:".count)) : item, optional))
            }
        default:
            overrides.append((key, value))
        }
    }
}
