import Foundation
import Logging
import Model
import Storage

/// Registers statuses on conversations by the upstream rules (`nextmove-api.md` §5.2), inside the caller's
/// transaction, and fans each new status out to the status queue and to matching webhook subscriptions.
///
/// A status already present on the conversation is ignored: registering is idempotent, so retries and duplicate
/// receipts never produce a second row or a second webhook push — also when several instances share one database,
/// since the conversation's row is locked before its statuses are looked at.
public struct StatusRegistrar: Sendable {
    let settings: EngineSettings
    let logger: Logger

    public init(settings: EngineSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Registers `status` on `conversation` at `at`. Returns the new status, or nil when it was already there.
    @discardableResult
    public func register(_ status: ReceiptStatus, on conversation: inout Conversation, description: String? = nil,
                         rawReceipt: String? = nil, at: Date, in tx: any StoreTransaction) throws -> MessageStatus? {
        if conversation.hasStatus(status) { return nil }
        // Another instance on the same database may be registering on this conversation right now (two receipts
        // for one message, downloaded by two instances): take turns on its row, then decide on what is committed.
        if let current = try tx.lockConversation(id: conversation.id) {
            conversation.messageStatuses = current.messageStatuses
            conversation.finished = conversation.finished || current.finished
            conversation.pollable = conversation.pollable && current.pollable
        }
        return try register(status, onLocked: &conversation, description: description, rawReceipt: rawReceipt,
                            at: at, in: tx)
    }

    /// Registers `status` on `conversation`, which this transaction holds and which is current: inserted in it, or
    /// read with `lockConversation` in it (and changed since only through this registrar). Saves `register(_:on:)`'s
    /// lock and read.
    @discardableResult
    public func register(_ status: ReceiptStatus, onLocked conversation: inout Conversation, description: String? = nil,
                         rawReceipt: String? = nil, at: Date, in tx: any StoreTransaction) throws -> MessageStatus? {
        if conversation.hasStatus(status) { return nil }
        conversation.lastUpdate = at
        if status.finishesConversation { conversation.finished = true }
        if status.stopsPolling { conversation.pollable = false }
        let row = try tx.appendStatus(status, description: description, rawReceipt: rawReceipt, at: at,
                                      updating: conversation)
        conversation.messageStatuses.append(row)
        if settings.statusQueueIncludes.contains(conversation.serviceIdentifier) {
            try tx.enqueueStatusEvent(statusId: row.id)
        }
        try queueWebhookDeliveries(for: row, of: conversation, at: at, in: tx)
        EngineMetrics.statusRegistered(channel: conversation.serviceIdentifier.rawValue,
                                       direction: conversation.direction.rawValue, status: status.rawValue)
        logger.info("Status \(status.rawValue) registered", metadata: [
            "messageId": "\(conversation.messageId)", "conversationId": "\(conversation.conversationId)",
            "direction": "\(conversation.direction.rawValue)", "serviceIdentifier": "\(conversation.serviceIdentifier.rawValue)",
            "status": "\(status.rawValue)",
        ])
        return row
    }

    /// Registers `status` on the conversation with `messageId` in `direction`, if there is one.
    @discardableResult
    public func register(_ status: ReceiptStatus, messageId: String, direction: ConversationDirection,
                         description: String? = nil, rawReceipt: String? = nil, at: Date,
                         in tx: any StoreTransaction) throws -> MessageStatus? {
        guard var conversation = try tx.lockConversation(messageId: messageId, direction: direction) else { return nil }
        if direction == .OUTGOING, [.MOTTATT, .LEVERT, .LEST].contains(status), !conversation.hasStatus(.SENDT) {
            // The receiver has the message, so it was sent: a restart between the upload and recording SENDT lets
            // the receipt arrive first. Record SENDT now, so the history reads in the order things happened; the
            // outbox's own SENDT after its repeated upload is then already there.
            try register(.SENDT, onLocked: &conversation,
                         description: "Recorded with the receiver's \(status.rawValue) receipt.", at: at, in: tx)
        }
        return try register(status, onLocked: &conversation, description: description, rawReceipt: rawReceipt,
                            at: at, in: tx)
    }

    private func queueWebhookDeliveries(for status: MessageStatus, of conversation: Conversation, at: Date,
                                        in tx: any StoreTransaction) throws {
        let subscriptions = try tx.allSubscriptions()
        guard !subscriptions.isEmpty else { return }
        let event = WebhookEvent.MessageStatusEvent(
            createdTs: at, messageId: conversation.messageId, conversationId: conversation.conversationId,
            direction: conversation.direction, serviceIdentifier: conversation.serviceIdentifier,
            status: status.status, description: status.description)
        let payload = String(decoding: WebhookEvent.status(event).encodedJSON(), as: UTF8.self)
        for subscription in subscriptions where subscription.wants(event) {
            guard let id = subscription.id else { continue }
            _ = try tx.insertDelivery(WebhookDelivery(subscriptionId: id, payload: payload, createdAt: at,
                                                      nextAttemptAt: at))
        }
    }
}
