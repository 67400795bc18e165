/// One thing wrong with the configuration: the key, the value as given (secrets masked) and what to do.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The key as the user would write it in `integrasjonspunkt-local.properties`.
    public var key: String
    /// The offending value, masked when the key holds a secret; `nil` when the key is missing.
    public var value: String?
    /// What is wrong, e.g. "is not a number".
    public var problem: String
    /// What to do about it, one sentence.
    public var fix: String

    public init(key: String, value: String?, problem: String, fix: String) {
        self.key = key
        self.value = value.map { Secrets.masked($0, forKey: key) }
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        if let value {
            return "\(key)=\(value): \(problem). \(fix)"
        }
        return "\(key): \(problem). \(fix)"
    }
}
