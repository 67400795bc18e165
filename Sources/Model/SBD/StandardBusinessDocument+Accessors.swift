/// Convenience accessors over the header, reading and writing where the upstream's `SBDUtil` does.
extension StandardBusinessDocument {
    private var identification: DocumentIdentification {
        get { standardBusinessDocumentHeader.documentIdentification ?? DocumentIdentification() }
        set { standardBusinessDocumentHeader.documentIdentification = newValue }
    }

    /// `documentIdentification.instanceIdentifier`.
    public var messageId: String? {
        get { standardBusinessDocumentHeader.documentIdentification?.instanceIdentifier }
        set { identification.instanceIdentifier = newValue }
    }

    /// The `type` as written.
    public var typeName: String? { standardBusinessDocumentHeader.documentIdentification?.type }

    /// The message type (from the header, else from the business message).
    public var messageType: MessageType {
        typeName.flatMap(MessageType.init(name:)) ?? businessMessage.type
    }

    /// The document type identifier (`documentIdentification.standard`).
    public var documentType: String? {
        get { standardBusinessDocumentHeader.documentIdentification?.standard }
        set { identification.standard = newValue }
    }

    public var creationDateAndTime: OffsetDateTime? {
        get { standardBusinessDocumentHeader.documentIdentification?.creationDateAndTime }
        set { identification.creationDateAndTime = newValue }
    }

    public var scopes: [Scope] {
        get { standardBusinessDocumentHeader.businessScope?.scope ?? [] }
        set {
            var bs = standardBusinessDocumentHeader.businessScope ?? BusinessScope()
            bs.scope = newValue
            standardBusinessDocumentHeader.businessScope = bs
        }
    }

    /// The first scope of `type`.
    public func scope(_ type: ScopeType) -> Scope? {
        scopes.first { $0.scopeType == type }
    }

    /// Sets (or, with nil, removes) the `instanceIdentifier`/`identifier` of the first scope of `type`, adding one.
    private mutating func updateScope(_ type: ScopeType, _ update: (inout Scope) -> Void) {
        var all = scopes
        if let index = all.firstIndex(where: { $0.scopeType == type }) {
            update(&all[index])
        } else {
            var scope = Scope(type)
            update(&scope)
            all.append(scope)
        }
        scopes = all
    }

    /// The ConversationId scope's `instanceIdentifier`.
    public var conversationId: String? {
        get { scope(.conversationId)?.instanceIdentifier }
        set { updateScope(.conversationId) { $0.instanceIdentifier = newValue } }
    }

    /// The ConversationId scope's `identifier` (the process).
    public var processIdentifier: String? {
        get { scope(.conversationId)?.identifier }
        set { updateScope(.conversationId) { $0.identifier = newValue } }
    }

    /// The first `expectedResponseDateTime` of the ConversationId scope.
    public var expectedResponseDateTime: OffsetDateTime? {
        get { scope(.conversationId)?.scopeInformation.lazy.compactMap(\.expectedResponseDateTime).first }
        set {
            updateScope(.conversationId) { scope in
                if scope.scopeInformation.isEmpty { scope.scopeInformation = [CorrelationInformation()] }
                scope.scopeInformation[0].expectedResponseDateTime = newValue
            }
        }
    }

    /// The sender's reference: the `instanceIdentifier` of the SenderRef scope (where the upstream code reads it).
    public var senderRef: String? {
        get { scope(.senderRef)?.instanceIdentifier }
        set { updateScope(.senderRef) { $0.instanceIdentifier = newValue } }
    }

    /// The receiver's reference: the `instanceIdentifier` of the ReceiverRef scope.
    public var receiverRef: String? {
        get { scope(.receiverRef)?.instanceIdentifier }
        set { updateScope(.receiverRef) { $0.instanceIdentifier = newValue } }
    }

    /// The channel named in the MessageChannel scope (`identifier`).
    public var messageChannel: String? {
        get { scope(.messageChannel)?.identifier }
        set { updateScope(.messageChannel) { $0.identifier = newValue } }
    }

    /// The raw sender identifier value (`sender[0].identifier.value`).
    public var senderValue: String? { standardBusinessDocumentHeader.sender?.first?.identifier?.value }

    /// The raw receiver identifier value (`receiver[0].identifier.value`).
    public var receiverValue: String? { standardBusinessDocumentHeader.receiver?.first?.identifier?.value }

    /// The parsed sender; nil when absent or unparseable.
    public var sender: PartnerIdentifier? {
        get { Self.parsePartner(standardBusinessDocumentHeader.sender?.first) }
        set { standardBusinessDocumentHeader.sender = newValue.map { [Partner($0)] } }
    }

    /// The parsed receiver; nil when absent or unparseable.
    public var receiver: PartnerIdentifier? {
        get { Self.parsePartner(standardBusinessDocumentHeader.receiver?.first) }
        set { standardBusinessDocumentHeader.receiver = newValue.map { [Partner($0)] } }
    }

    static func parsePartner(_ partner: Partner?) -> PartnerIdentifier? {
        guard let id = partner?.identifier, let value = id.value else { return nil }
        return try? PartnerIdentifier.parse(value, authority: id.authority ?? PartnerIdentifier.iso6523Authority)
    }

    /// The business message's `hoveddokument`.
    public var hoveddokument: String? {
        get { businessMessage.hoveddokument }
        set { businessMessage.hoveddokument = newValue }
    }

    /// The business message's `sikkerhetsnivaa` (arkivmelding, digital).
    public var sikkerhetsnivaa: Int? {
        get { businessMessage.sikkerhetsnivaa }
        set { businessMessage.sikkerhetsnivaa = newValue }
    }
}

extension StandardBusinessDocument {
    /// The bare sender as the upstream stores and filters it (`senderIdentifier`): the part identifier when
    /// present ("on behalf of"), else the primary identifier.
    public var senderIdentifier: String? { sender?.partOrPrimaryIdentifier }

    /// The bare receiver as the upstream stores and filters it (`receiverIdentifier`): the primary identifier.
    public var receiverIdentifier: String? { receiver?.primaryIdentifier }
}
