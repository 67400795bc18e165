/// Which keys hold secrets, and how their values are shown.
///
/// A key is secret when its last segment contains `password`, `passord`, `secret` or `token` (so
/// `key-store-password`, `integrasjon-passord`, `sasToken`, `vault.token`). Segments naming an address
/// (`altinnTokenExchangeUrl`, `token-uri`) are not secret.
public enum Secrets {
    public static func isSecret(_ key: String) -> Bool {
        let last = RelaxedKey.lastSegment(RelaxedKey.canonical(key))
        if last.hasSuffix("url") || last.hasSuffix("uri") { return false }
        return ["password", "passord", "secret", "token"].contains { last.contains($0) }
    }

    /// `******` for a secret with a value, the value itself otherwise. An empty secret shows as empty, so that
    /// "set but empty" stays visible.
    public static func masked(_ value: String, forKey key: String) -> String {
        guard isSecret(key), !value.isEmpty else { return value }
        return "******"
    }
}
