import Foundation

/// A message's life as the status API shows it: one per messageId and direction (`nextmove-api.md` §2.5).
public struct Conversation: Sendable, Equatable {
    public var id: Int64
    public var conversationId: String
    public var messageId: String
    /// Full identifiers (`0192:910077473`, an 11-digit person number, …).
    public var sender: String?
    public var receiver: String?
    /// Bare identifiers: the part identifier when present, else the primary one (sender); the primary one (receiver).
    public var senderIdentifier: String?
    public var receiverIdentifier: String?
    public var processIdentifier: String?
    public var documentIdentifier: String?
    /// Defaults to the conversationId; `<saksmappe.systemID>-<journalpostnummer>` once an arkivmelding is uploaded.
    public var messageReference: String?
    public var messageTitle: String?
    public var lastUpdate: Date
    public var finished: Bool
    /// Whether the status poller should ask the channel for news (never shown in JSON).
    public var pollable: Bool
    public var expiry: Date?
    public var direction: ConversationDirection
    public var serviceIdentifier: ServiceIdentifier
    public var externalSystemReference: String?
    public var messageStatuses: [MessageStatus]

    public init(id: Int64 = 0, conversationId: String, messageId: String, sender: String? = nil,
                receiver: String? = nil, senderIdentifier: String? = nil, receiverIdentifier: String? = nil,
                processIdentifier: String? = nil, documentIdentifier: String? = nil,
                messageReference: String? = nil, messageTitle: String? = "", lastUpdate: Date,
                finished: Bool = false, pollable: Bool = false, expiry: Date? = nil,
                direction: ConversationDirection, serviceIdentifier: ServiceIdentifier,
                externalSystemReference: String? = nil, messageStatuses: [MessageStatus] = []) {
        self.id = id
        self.conversationId = conversationId
        self.messageId = messageId
        self.sender = sender
        self.receiver = receiver
        self.senderIdentifier = senderIdentifier
        self.receiverIdentifier = receiverIdentifier
        self.processIdentifier = processIdentifier
        self.documentIdentifier = documentIdentifier
        self.messageReference = messageReference ?? conversationId
        self.messageTitle = messageTitle
        self.lastUpdate = lastUpdate
        self.finished = finished
        self.pollable = pollable
        self.expiry = expiry
        self.direction = direction
        self.serviceIdentifier = serviceIdentifier
        self.externalSystemReference = externalSystemReference
        self.messageStatuses = messageStatuses
    }

    /// The newest status, by registration order.
    public var latestStatus: MessageStatus? { messageStatuses.max { $0.id < $1.id } }

    public func hasStatus(_ status: ReceiptStatus) -> Bool {
        messageStatuses.contains { $0.status == status }
    }
}

extension Conversation: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, conversationId, messageId, sender, senderIdentifier, receiver, receiverIdentifier
        case processIdentifier, documentIdentifier, messageReference, messageTitle, lastUpdate, finished
        case expiry, direction, serviceIdentifier, externalSystemReference, messageStatuses
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(conversationId, forKey: .conversationId)
        try c.encode(messageId, forKey: .messageId)
        try c.encodeIfPresent(sender, forKey: .sender)
        try c.encodeIfPresent(senderIdentifier, forKey: .senderIdentifier)
        try c.encodeIfPresent(receiver, forKey: .receiver)
        try c.encodeIfPresent(receiverIdentifier, forKey: .receiverIdentifier)
        try c.encodeIfPresent(processIdentifier, forKey: .processIdentifier)
        try c.encodeIfPresent(documentIdentifier, forKey: .documentIdentifier)
        try c.encodeIfPresent(messageReference, forKey: .messageReference)
        try c.encodeIfPresent(messageTitle, forKey: .messageTitle)
        try c.encode(OsloTime.format(lastUpdate), forKey: .lastUpdate)
        try c.encode(finished, forKey: .finished)
        try c.encodeIfPresent(expiry.map(OsloTime.format), forKey: .expiry)
        try c.encode(direction, forKey: .direction)
        try c.encode(serviceIdentifier, forKey: .serviceIdentifier)
        try c.encodeIfPresent(externalSystemReference, forKey: .externalSystemReference)
        let ordered = messageStatuses.sorted { $0.id < $1.id }
        try c.encode(ordered.map(MessageStatus.Nested.init), forKey: .messageStatuses)
    }
}
