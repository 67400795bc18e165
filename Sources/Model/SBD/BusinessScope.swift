/// `standardBusinessDocumentHeader.businessScope`.
public struct BusinessScope: Sendable, Hashable, Codable {
    public var scope: [Scope]?

    public init(scope: [Scope]? = []) {
        self.scope = scope
    }
}

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

/// `scopeInformation[]` entry.
public struct CorrelationInformation: Sendable, Hashable, Codable {
    public var requestingDocumentCreationDateTime: OffsetDateTime?
    @LenientString public var requestingDocumentInstanceIdentifier: String?
    public var expectedResponseDateTime: OffsetDateTime?

    public init(requestingDocumentCreationDateTime: OffsetDateTime? = nil,
                requestingDocumentInstanceIdentifier: String? = nil, expectedResponseDateTime: OffsetDateTime? = nil) {
        self.requestingDocumentCreationDateTime = requestingDocumentCreationDateTime
        self.requestingDocumentInstanceIdentifier = requestingDocumentInstanceIdentifier
        self.expectedResponseDateTime = expectedResponseDateTime
    }
}

/// The scope types the API admits (`@OneOf` on `Scope.type`).
public enum ScopeType: String, Sendable, CaseIterable, Codable {
    case journalpostId = "JournalpostId"
    case conversationId = "ConversationId"
    case parentId = "ParentId"
    case senderRef = "SenderRef"
    case receiverRef = "ReceiverRef"
    case messageChannel = "MessageChannel"

    /// The upstream enum constant names (`CONVERSATION_ID`), accepted by internal lookups.
    public var enumName: String {
        switch self {
        case .journalpostId: "JOURNALPOST_ID"
        case .conversationId: "CONVERSATION_ID"
        case .parentId: "PARENT_ID"
        case .senderRef: "SENDER_REF"
        case .receiverRef: "RECEIVER_REF"
        case .messageChannel: "MESSAGE_CHANNEL"
        }
    }

    public init?(name: String) {
        guard let match = ScopeType.allCases.first(where: {
            $0.rawValue.caseInsensitiveCompare(name) == .orderedSame
                || $0.enumName.caseInsensitiveCompare(name) == .orderedSame
        }) else { return nil }
        self = match
    }
}
