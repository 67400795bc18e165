import Foundation
@_exported import Model

/// An outgoing message as stored between create and delivery, or after it expired undelivered. The SBD is kept as
/// its JSON text.
public struct OutgoingMessageRecord: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        /// Created; files may still be uploaded.
        case created
        /// Send accepted; an outbox job will deliver it.
        case sending
        /// Its time to live passed before it was delivered. The row stays without its files, so that a send, a
        /// get and the status API still answer for it, until housekeeping removes it with its conversation.
        case expired
    }

    public var messageId: String
    public var conversationId: String
    public var processIdentifier: String?
    /// Bare primary identifier (`910075918`, no `0192:`).
    public var receiverIdentifier: String?
    /// Bare part identifier when present, else the primary one.
    public var senderIdentifier: String?
    public var serviceIdentifier: ServiceIdentifier
    public var sbd: String
    public var state: State
    public var createdAt: Date
    public var lastUpdated: Date

    public init(messageId: String, conversationId: String, processIdentifier: String?, receiverIdentifier: String?,
                senderIdentifier: String?, serviceIdentifier: ServiceIdentifier, sbd: String,
                state: State = .created, createdAt: Date, lastUpdated: Date) {
        self.messageId = messageId
        self.conversationId = conversationId
        self.processIdentifier = processIdentifier
        self.receiverIdentifier = receiverIdentifier
        self.senderIdentifier = senderIdentifier
        self.serviceIdentifier = serviceIdentifier
        self.sbd = sbd
        self.state = state
        self.createdAt = createdAt
        self.lastUpdated = lastUpdated
    }
}

/// An incoming message waiting for the archive system. Its payload (`asic.zip`) lives in the payload store.
public struct IncomingMessageRecord: Sendable, Equatable {
    public var messageId: String
    public var conversationId: String
    public var processIdentifier: String?
    public var receiverIdentifier: String?
    public var senderIdentifier: String?
    public var serviceIdentifier: ServiceIdentifier
    public var sbd: String
    /// Payload key in the payload store, or nil for messages without a container (receipts).
    public var payloadKey: String?
    public var lastUpdated: Date
    public var lockTimeout: Date?

    public init(messageId: String, conversationId: String, processIdentifier: String?, receiverIdentifier: String?,
                senderIdentifier: String?, serviceIdentifier: ServiceIdentifier, sbd: String, payloadKey: String?,
                lastUpdated: Date, lockTimeout: Date? = nil) {
        self.messageId = messageId
        self.conversationId = conversationId
        self.processIdentifier = processIdentifier
        self.receiverIdentifier = receiverIdentifier
        self.senderIdentifier = senderIdentifier
        self.serviceIdentifier = serviceIdentifier
        self.sbd = sbd
        self.payloadKey = payloadKey
        self.lastUpdated = lastUpdated
        self.lockTimeout = lockTimeout
    }

    public func isLocked(at now: Date) -> Bool {
        guard let lockTimeout else { return false }
        return lockTimeout > now
    }
}

/// A file uploaded to an outgoing message (`business_message_file`).
public struct StoredFileRecord: Sendable, Equatable {
    public var messageId: String
    /// Key of the bytes in the payload store.
    public var payloadKey: String
    public var filename: String
    public var title: String?
    public var mimeType: String
    public var size: Int64
    /// 1-based upload order.
    public var dokumentnummer: Int
    public var primaryDocument: Bool

    public init(messageId: String, payloadKey: String, filename: String, title: String?, mimeType: String,
                size: Int64, dokumentnummer: Int, primaryDocument: Bool) {
        self.messageId = messageId
        self.payloadKey = payloadKey
        self.filename = filename
        self.title = title
        self.mimeType = mimeType
        self.size = size
        self.dokumentnummer = dokumentnummer
        self.primaryDocument = primaryDocument
    }
}

/// Durable outgoing work: deliver a message, or send a status receipt, retried with back-off.
public struct OutboxJob: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Deliver the outgoing message `messageId` through its channel.
        case sendMessage
        /// Send the status SBD held in `payload` (JSON) to the other side.
        case sendStatus
        /// Push the incoming message `messageId` to the archive system by BEST/EDU `PutMessage`.
        case deliverToArchive
    }

    public var id: Int64
    public var kind: Kind
    public var messageId: String
    public var payload: String?
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var leaseOwner: String?
    public var leaseUntil: Date?
    public var lastError: String?

    public init(id: Int64 = 0, kind: Kind, messageId: String, payload: String? = nil, attempts: Int = 0,
                createdAt: Date, nextAttemptAt: Date, leaseOwner: String? = nil, leaseUntil: Date? = nil,
                lastError: String? = nil) {
        self.id = id
        self.kind = kind
        self.messageId = messageId
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.leaseOwner = leaseOwner
        self.leaseUntil = leaseUntil
        self.lastError = lastError
    }
}

/// One event to push to one subscription, kept until delivered or given up.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: Int64
    public var subscriptionId: Int64
    /// The JSON body to POST.
    public var payload: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var leaseOwner: String?
    public var leaseUntil: Date?
    public var lastError: String?

    public init(id: Int64 = 0, subscriptionId: Int64, payload: String, attempts: Int = 0, createdAt: Date,
                nextAttemptAt: Date, leaseOwner: String? = nil, leaseUntil: Date? = nil, lastError: String? = nil) {
        self.id = id
        self.subscriptionId = subscriptionId
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.leaseOwner = leaseOwner
        self.leaseUntil = leaseUntil
        self.lastError = lastError
    }
}
