import Foundation

/// A message peek-locked from a queue: what the `BrokerProperties` header says, and the body.
public struct ServiceBusMessage: Sendable {
    public var queue: String
    /// `MessageId`: set by the sender, or by Azure (the upstream sends `BrokerProperties: {}`).
    public var messageId: String
    /// `LockToken`: completes or unlocks this delivery.
    public var lockToken: String
    public var sequenceNumber: Int64?
    /// How many times the message has been handed out, this time included.
    public var deliveryCount: Int?
    public var enqueuedTime: String?
    public var lockedUntil: String?
    /// The body, or `nil` when it was larger than the client reads (`bodyTooLarge` then holds the size read).
    public var body: Data?
    public var bodyTooLarge: Int?

    public init(queue: String, messageId: String, lockToken: String, sequenceNumber: Int64? = nil, deliveryCount: Int? = nil,
                enqueuedTime: String? = nil, lockedUntil: String? = nil, body: Data?, bodyTooLarge: Int? = nil) {
        self.queue = queue
        self.messageId = messageId
        self.lockToken = lockToken
        self.sequenceNumber = sequenceNumber
        self.deliveryCount = deliveryCount
        self.enqueuedTime = enqueuedTime
        self.lockedUntil = lockedUntil
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    /// Reads the `BrokerProperties` JSON header (`MessageId`, `LockToken`, `SequenceNumber`, `DeliveryCount`, …).
    static func brokerProperties(_ header: String?) -> [String: Any]? {
        guard let header, let data = header.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}
