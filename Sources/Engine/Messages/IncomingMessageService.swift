import Foundation
import Logging
import Model
import Storage

/// `/api/messages/in` and the receiving side of the channels (`nextmove-api.md` §2.3, `internals.md` §3.2).
///
/// The archive system takes messages with peek (locks) → pop (streams the container) → delete (acknowledges). A
/// lock that runs out makes the message available again, so nothing is lost when a client dies halfway.
public struct IncomingMessageService: Sendable {
    /// Name of the container of an incoming message in the payload store.
    public static let containerKey = "asic.zip"

    let store: any MessageStore
    let payloads: PayloadVault
    let registrar: StatusRegistrar
    let settings: EngineSettings
    let time: any TimeSource
    let wakeUp: WakeUpSignal
    let logger: Logger
    /// Looks inside incoming containers before they are offered; nil offers them as received (tests).
    let containerCheck: (any ContainerCheck)?

    public init(store: any MessageStore, payloads: PayloadVault, registrar: StatusRegistrar, settings: EngineSettings,
                time: any TimeSource, wakeUp: WakeUpSignal, logger: Logger, containerCheck: (any ContainerCheck)? = nil) {
        self.store = store
        self.payloads = payloads
        self.registrar = registrar
        self.settings = settings
        self.time = time
        self.wakeUp = wakeUp
        self.logger = logger
        self.containerCheck = containerCheck
    }

    public func find(_ query: MessageQuery, page: PageRequest) async throws -> Page<StandardBusinessDocument> {
        let records = try await store.read { tx in try tx.findIncoming(query, page: page) }
        return try records.map { try StoredSBD.decode($0.sbd) }
    }

    /// Locks and returns the oldest available message matching `query`; throws `noContent` when there is none.
    public func peek(_ query: MessageQuery) async throws -> StandardBusinessDocument {
        let now = time.now
        let until = now.addingTimeInterval(settings.lockTimeout)
        guard let record = try await store.lockNextIncoming(query, now: now, until: until) else {
            throw NextMoveError.noContent
        }
        logger.info("Incoming message peeked and locked until \(OsloTime.format(until))",
                    metadata: ["messageId": "\(record.messageId)", "conversationId": "\(record.conversationId)"])
        return try StoredSBD.decode(record.sbd)
    }

    /// What pop answers: nothing for receipts, else the decrypted container as a stream.
    public enum PopResult: Sendable {
        case noContainer
        case container(AsyncThrowingStream<[UInt8], any Error>)
    }

    public func pop(messageId: String) async throws -> PopResult {
        let record = try await lockedMessage(messageId)
        guard let key = record.payloadKey else { return .noContainer }
        let container: AsyncThrowingStream<[UInt8], any Error>
        do {
            container = try payloads.openContainer(messageId: messageId, key: key)
        } catch StoreError.payloadNotFound {
            // Only a container that is not there drops the message; a store that does not answer right now is the
            // caller's error to retry.
            try await dropUnreadable(record, description: "Can not read file \"\(Self.containerKey)\" for message [messageId=\(messageId), sender=\(record.senderIdentifier ?? "")], removing from queue.")
            throw NextMoveError.fileNotFound([Self.containerKey])
        }
        logger.info("Incoming message popped", metadata: ["audit": "pop", "messageId": "\(messageId)", "conversationId": "\(record.conversationId)"])
        return .container(container)
    }

    /// Acknowledges a locked message: removes it, registers INNKOMMENDE_LEVERT and queues a LEVERT receipt to the
    /// sender (for the channels in `status-services`), all in one transaction.
    public func delete(messageId: String) async throws -> StandardBusinessDocument {
        let record = try await lockedMessage(messageId)
        let sbd = try StoredSBD.decode(record.sbd)
        let receipt = try receiptJSON(for: sbd, status: .LEVERT, service: record.serviceIdentifier)
        let now = time.now
        try await store.write { [registrar] tx in
            guard try tx.deleteIncoming(messageId: messageId) else { throw NextMoveError.messageNotFound(messageId: messageId) }
            try registrar.register(.INNKOMMENDE_LEVERT, messageId: messageId, direction: .INCOMING, at: now, in: tx)
            if let receipt {
                _ = try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: messageId, payload: receipt,
                                               createdAt: now, nextAttemptAt: now))
            }
        }
        try? payloads.delete(messageId: messageId)
        if receipt != nil { wakeUp.signal() }
        logger.info("Incoming message delivered to the archive system", metadata: ["audit": "delete", "messageId": "\(messageId)",
                                                                                "conversationId": "\(record.conversationId)"])
        return sbd
    }

    private func lockedMessage(_ messageId: String) async throws -> IncomingMessageRecord {
        guard let record = try await store.read({ tx in try tx.incoming(messageId: messageId) }) else {
            throw NextMoveError.messageNotFound(messageId: messageId)
        }
        guard record.isLocked(at: time.now) else { throw NextMoveError.messageNotLocked(messageId: messageId) }
        return record
    }

    private func dropUnreadable(_ record: IncomingMessageRecord, description: String) async throws {
        let now = time.now
        try await store.write { [registrar] tx in
            try tx.deleteIncoming(messageId: record.messageId)
            try registrar.register(.FEIL, messageId: record.messageId, direction: .INCOMING, description: description,
                                   at: now, in: tx)
        }
        try? payloads.delete(messageId: record.messageId)
        logger.error("\(description)", metadata: ["messageId": "\(record.messageId)"])
    }

    /// The status SBD to send back for `sbd`, or nil when its channel does not send receipts.
    func receiptJSON(for sbd: StandardBusinessDocument, status: ReceiptStatus, service: ServiceIdentifier) throws -> String? {
        guard settings.statusServices.contains(service), sbd.messageType != .status else { return nil }
        let process = receiptProcess(for: sbd)
        let receipt = StandardBusinessDocument.statusReceipt(for: sbd, status: status, receiptProcess: process,
                                                             now: time.now)
        return try StoredSBD.encode(receipt)
    }

    private func receiptProcess(for sbd: StandardBusinessDocument) -> String {
        let process = sbd.processIdentifier ?? ""
        if process.contains(":einnsyn:") { return settings.einnsynReceiptProcess }
        if process.contains(":avtalt:") { return settings.avtaltReceiptProcess }
        return settings.arkivmeldingReceiptProcess
    }
}
