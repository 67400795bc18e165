import Foundation

/// SvarUt's list of forsendelse types, asked for at most once an hour per sender (the upstream's
/// `SVARUT_FORSENDELSETYPER` cache), so validating `arkivmelding.dpf.forsendelseType` costs no call per message.
public actor ForsendelseTypeCache {
    public let lifetime: TimeInterval
    private let now: @Sendable () -> Date
    private var entries: [String: (types: [String], fetchedAt: Date)] = [:]

    public init(lifetime: TimeInterval = 3600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.lifetime = lifetime
        self.now = now
    }

    /// The types SvarUt accepts from `sender`, from the cache while it is younger than `lifetime`.
    public func types(for sender: String, from transport: any SvarUtTransport) async throws(SvarUtError) -> [String] {
        if let cached = entries[sender], now().timeIntervalSince(cached.fetchedAt) < lifetime { return cached.types }
        let types = try await transport.forsendelseTyper(sender: sender)
        entries[sender] = (types, now())
        return types
    }

    /// Checks `type` against the list; the error says which types SvarUt knows.
    public func check(_ type: String, sender: String, transport: any SvarUtTransport) async throws(SvarUtError) {
        let known = try await types(for: sender, from: transport)
        guard !known.contains(type) else { return }
        throw SvarUtError(operation: "check forsendelseType", status: nil,
                          detail: "arkivmelding.dpf.forsendelseType \"\(type)\" is not a forsendelse type SvarUt knows; use one of: "
                            + (known.isEmpty ? "(SvarUt lists none)" : known.joined(separator: ", ")),
                          isUnrecoverable: true)
    }
}
