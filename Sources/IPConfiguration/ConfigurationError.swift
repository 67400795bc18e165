/// The configuration could not be used. Lists every problem found, so one restart can fix them all.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]
    /// Notes found on the way (ignored keys, likely typos); not part of ``description``.
    public var warnings: [String]

    public init(problems: [ConfigurationProblem], warnings: [String] = []) {
        self.problems = problems
        self.warnings = warnings
    }

    public var description: String {
        let count = problems.count
        let heading = count == 1
            ? "The configuration has 1 problem:"
            : "The configuration has \(count) problems:"
        return ([heading] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
