import Foundation

/// What is pushed to a subscription's endpoint (`nextmove-api.md` §6.2).
public enum WebhookEvent: Sendable, Hashable, Encodable {
    /// `{ "createdTs", "event": "ping" }` — on create and when the push endpoint changes.
    case ping(createdTs: Date)
    /// A newly registered status of a conversation.
    case status(MessageStatusEvent)

    public struct MessageStatusEvent: Sendable, Hashable {
        public var createdTs: Date
        public var messageId: String
        public var conversationId: String
        public var direction: ConversationDirection
        public var serviceIdentifier: ServiceIdentifier
        public var status: ReceiptStatus
        public var description: String?

        public init(createdTs: Date, messageId: String, conversationId: String, direction: ConversationDirection,
                    serviceIdentifier: ServiceIdentifier, status: ReceiptStatus, description: String? = nil) {
            self.createdTs = createdTs
            self.messageId = messageId
            self.conversationId = conversationId
            self.direction = direction
            self.serviceIdentifier = serviceIdentifier
            self.status = status
            self.description = description
        }
    }

    enum CodingKeys: String, CodingKey {
        case createdTs, resource, event, messageId, conversationId, direction, serviceIdentifier, status, description
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ping(let createdTs):
            try c.encode(OsloTime.format(createdTs), forKey: .createdTs)
            try c.encode("ping", forKey: .event)
        case .status(let e):
            try c.encode(OsloTime.format(e.createdTs), forKey: .createdTs)
            try c.encode("messages", forKey: .resource)
            try c.encode("status", forKey: .event)
            try c.encode(e.messageId, forKey: .messageId)
            try c.encode(e.conversationId, forKey: .conversationId)
            try c.encode(e.direction, forKey: .direction)
            try c.encode(e.serviceIdentifier, forKey: .serviceIdentifier)
            try c.encode(e.status, forKey: .status)
            try c.encodeIfPresent(e.description, forKey: .description)
        }
    }

    /// Pretty-printed JSON in the upstream's layout.
    public func encodedJSON() -> Data {
        (try? JacksonJSON.encode(self)) ?? Data()
    }
}
