/// The upstream's Spring profiles: which eFormidling environment the gateway talks to.
public enum Profile: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Digdir's production environment (the default).
    case production
    /// Digdir's test environment (tt02, test Maskinporten).
    case staging
    /// Digdir's development environment.
    case dev

    public var description: String { rawValue }
}
