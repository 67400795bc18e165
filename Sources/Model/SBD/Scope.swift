/// One scope: conversation, references, message channel (`nextmove-api.md` §3.3).
public struct Scope: Sendable, Hashable, Codable {
    /// One of `ScopeType`'s raw values as written by the client (validated, not parsed).
    @LenientString public var type: String?
    @LenientString public var instanceIdentifier: String?
    @LenientString public var identifier: String?
    /// Omitted from JSON when empty.
    public var scopeInformation: [CorrelationInformation]

    public init(type: String?, instanceIdentifier: String? = nil, identifier: String? = nil,
                scopeInformation: [CorrelationInformation] = []) {
        self.type = type
        self.instanceIdentifier = instanceIdentifier
        self.identifier = identifier
        self.scopeInformation = scopeInformation
    }

    public init(_ type: ScopeType, instanceIdentifier: String? = nil, identifier: String? = nil,
                scopeInformation: [CorrelationInformation] = []) {
        self.init(type: type.rawValue, instanceIdentifier: instanceIdentifier, identifier: identifier,
                  scopeInformation: scopeInformation)
    }

    /// The scope type, matched like the upstream's `ScopeType.fromString` (full name or enum name, ignoring case).
    public var scopeType: ScopeType? { type.flatMap(ScopeType.init(name:)) }

    enum CodingKeys: String, CodingKey { case type, instanceIdentifier, identifier, scopeInformation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeLenientString(forKey: .type)
        instanceIdentifier = try c.decodeLenientString(forKey: .instanceIdentifier)
        identifier = try c.decodeLenientString(forKey: .identifier)
        scopeInformation = try c.decodeIfPresent([CorrelationInformation].self, forKey: .scopeInformation) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(instanceIdentifier, forKey: .instanceIdentifier)
        try c.encodeIfPresent(identifier, forKey: .identifier)
        if !scopeInformation.isEmpty { try c.encode(scopeInformation, forKey: .scopeInformation) }
    }
}
