import Foundation

/// One entry in a conversation's status history (`nextmove-api.md` §2.4).
public struct MessageStatus: Sendable, Equatable {
    public var id: Int64
    public var lastUpdate: Date
    public var status: ReceiptStatus
    public var description: String?
    public var rawReceipt: String?
    public var convId: Int64
    public var messageId: String
    public var conversationId: String

    public init(id: Int64, lastUpdate: Date, status: ReceiptStatus, description: String? = nil,
                rawReceipt: String? = nil, convId: Int64, messageId: String, conversationId: String) {
        self.id = id
        self.lastUpdate = lastUpdate
        self.status = status
        self.description = description
        self.rawReceipt = rawReceipt
        self.convId = convId
        self.messageId = messageId
        self.conversationId = conversationId
    }
}

extension MessageStatus: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, lastUpdate, status, description, rawReceipt, convId, messageId, conversationId
    }

    /// The full view, as `/api/statuses` shows it; nulls are omitted.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(OsloTime.format(lastUpdate), forKey: .lastUpdate)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(rawReceipt, forKey: .rawReceipt)
        try c.encode(convId, forKey: .convId)
        try c.encode(messageId, forKey: .messageId)
        try c.encode(conversationId, forKey: .conversationId)
    }

    /// The short view nested in a conversation: `id, lastUpdate, status, description`.
    struct Nested: Encodable {
        let status: MessageStatus
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status.id, forKey: .id)
            try c.encode(OsloTime.format(status.lastUpdate), forKey: .lastUpdate)
            try c.encode(status.status, forKey: .status)
            try c.encodeIfPresent(status.description, forKey: .description)
        }
    }
}
