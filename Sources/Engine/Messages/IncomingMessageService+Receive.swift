import Foundation
import Logging
import Model
import Storage

extension IncomingMessageService {
    /// What became of a message a channel handed in.
    public enum ReceiveOutcome: Sendable, Equatable {
        /// Stored and offered to the archive system.
        case stored
        /// A status receipt, registered on our outgoing conversation.
        case statusRegistered(ReceiptStatus)
        /// Already stored earlier; nothing changed.
        case duplicate
        /// Past its time to live; recorded as OPPRETTET then LEVETID_UTLOPT and not offered.
        case expired
        /// The container failed the container check; recorded as FEIL with the reason and not offered.
        case refused(String)
    }

    /// Takes an incoming message from a channel (`internals.md` §3.2). The container, when there is one, is stored
    /// as received — still sealed by the sender for our certificate — before the message is made visible, so a
    /// crash at any point leaves either nothing or a complete message. Duplicates are recognised by messageId.
    public func receive<S: AsyncSequence & Sendable>(_ sbd: StandardBusinessDocument, via service: ServiceIdentifier,
                                                     container: S?) async throws -> ReceiveOutcome
        where S.Element == [UInt8] {
        guard let messageId = sbd.messageId, let conversationId = sbd.conversationId else {
            throw NextMoveError.missingConversationScope
        }
        let now = time.now
        if sbd.messageType == .status { return try await registerStatusReceipt(sbd, messageId: messageId) }
        if try await store.read({ tx in try tx.receivedBefore(messageId: messageId) }) {
            logger.info("Incoming message already received; ignored", metadata: ["messageId": "\(messageId)"])
            return .duplicate
        }
        let conversation = incomingConversation(sbd, messageId: messageId, conversationId: conversationId,
                                                service: service, now: now)
        if let expiry = conversation.expiry, expiry < now {
            try await recordExpired(conversation, now: now)
            return .expired
        }
        var wroteContainer = false
        if let container {
            wroteContainer = try await storeContainer(messageId: messageId, chunks: container)
            if let refusal = try await checkContainer(messageId: messageId) {
                try await recordRefused(conversation, sbd: sbd, service: service, reason: refusal, now: now)
                return .refused(refusal)
            }
        }
        let pushToArchive = settings.deliversToArchiveSystem && sbd.messageType == .arkivmelding && container != nil
        // A message on its way to the archive system by BEST/EDU is not offered by peek (locked until it expires).
        let record = IncomingMessageRecord(
            messageId: messageId, conversationId: conversationId, processIdentifier: sbd.processIdentifier,
            receiverIdentifier: sbd.receiverIdentifier, senderIdentifier: sbd.senderIdentifier,
            serviceIdentifier: service,
            sbd: try StoredSBD.encode(sbd), payloadKey: container == nil ? nil : Self.containerKey, lastUpdated: now,
            lockTimeout: pushToArchive ? conversation.expiry ?? now.addingTimeInterval(settings.ttlHours(for: service) * 3600) : nil)
        let receipt = try receiptJSON(for: sbd, status: .MOTTATT, service: service)
        guard try await insertReceived(record, conversation: conversation, receipt: receipt,
                                       pushToArchive: pushToArchive, now: now) else {
            try await discardOrphanedContainer(messageId: messageId, written: wroteContainer)
            logger.info("Incoming message already received; ignored", metadata: ["messageId": "\(messageId)"])
            return .duplicate
        }
        if receipt != nil || pushToArchive { wakeUp.signal() }
        logger.info("Incoming message stored", metadata: ["audit": "receive", "messageId": "\(messageId)", "conversationId": "\(conversationId)",
                                                          "serviceIdentifier": "\(service.rawValue)"])
        return .stored
    }

    /// Stores the sealed container unless a complete one is there already: written by another instance sharing
    /// the database a moment ago, or by this one before a crash — replacing it could break a pop reading it right
    /// now. Returns whether this call wrote it.
    private func storeContainer<S: AsyncSequence & Sendable>(messageId: String, chunks: S) async throws -> Bool
        where S.Element == [UInt8] {
        guard !payloads.exists(messageId: messageId, key: Self.containerKey) else { return false }
        _ = try await payloads.writeSealed(messageId: messageId, key: Self.containerKey, chunks: chunks)
        return true
    }

    /// Makes the message visible in one transaction: the message, its conversation with OPPRETTET and
    /// INNKOMMENDE_MOTTATT, the MOTTATT receipt and the archive delivery jobs. False when it was there already.
    private func insertReceived(_ record: IncomingMessageRecord, conversation: Conversation, receipt: String?,
                                pushToArchive: Bool, now: Date) async throws -> Bool {
        let messageId = record.messageId
        do {
            return try await store.write { [registrar] tx -> Bool in
                if try tx.receivedBefore(messageId: messageId) { return false }
                try tx.insertIncoming(record)
                var stored = conversation
                stored.id = try tx.insertConversation(conversation)
                try registrar.register(.OPPRETTET, onLocked: &stored, at: now, in: tx)
                try registrar.register(.INNKOMMENDE_MOTTATT, onLocked: &stored, at: now, in: tx)
                if let receipt {
                    _ = try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: messageId, payload: receipt,
                                                   createdAt: now, nextAttemptAt: now))
                }
                if pushToArchive {
                    _ = try tx.insertJob(OutboxJob(kind: .deliverToArchive, messageId: messageId, createdAt: now,
                                                   nextAttemptAt: now))
                }
                return true
            }
        } catch StoreError.duplicate {
            // Another instance sharing the database stored the same broker file a moment earlier.
            return false
        }
    }

    /// After a duplicate: the container this call wrote replaced the stored one with the same bytes, unless the
    /// archive system has taken and deleted the message meanwhile — then it is an orphan, and goes.
    private func discardOrphanedContainer(messageId: String, written: Bool) async throws {
        guard written, try await store.read({ tx in try tx.incoming(messageId: messageId) == nil }) else { return }
        try? payloads.delete(messageId: messageId)
    }

    private func registerStatusReceipt(_ sbd: StandardBusinessDocument, messageId: String) async throws -> ReceiveOutcome {
        guard case .status(let message) = sbd.businessMessage, let status = message.receiptStatus else {
            var text: String?
            if case .status(let message) = sbd.businessMessage { text = message.status }
            throw NextMoveError.invalidStatusReceipt(messageId: messageId, status: text)
        }
        let now = time.now
        _ = try await store.write { [registrar] tx in
            try registrar.register(status, messageId: messageId, direction: .OUTGOING, at: now, in: tx)
        }
        return .statusRegistered(status)
    }

    private func incomingConversation(_ sbd: StandardBusinessDocument, messageId: String, conversationId: String,
                                      service: ServiceIdentifier, now: Date) -> Conversation {
        var conversation = Conversation(sbd: sbd, direction: .INCOMING, serviceIdentifier: service, now: now)
        if conversation.expiry == nil {
            conversation.expiry = now.addingTimeInterval(settings.ttlHours(for: service) * 3600)
        }
        return conversation
    }

    /// Records a message that arrived after its time to live as received and expired at once (OPPRETTET, then
    /// LEVETID_UTLOPT, as the upstream's conversation shows it), so the history says it came in; the message
    /// itself is not stored. Every channel's receiver comes through here.
    private func recordExpired(_ conversation: Conversation, now: Date) async throws {
        do {
            try await store.write { [registrar] tx in
                var stored = conversation
                stored.id = try tx.insertConversation(conversation)
                try registrar.register(.OPPRETTET, onLocked: &stored, at: now, in: tx)
                try registrar.register(.LEVETID_UTLOPT, onLocked: &stored, description: ReceiptStatus.expiredDescription,
                                       at: now, in: tx)
            }
        } catch StoreError.duplicate {
            return  // another instance sharing the database recorded it a moment earlier
        }
        logger.warning("Incoming message arrived after its time to live; not offered", metadata: ["messageId": "\(conversation.messageId)"])
    }
}
