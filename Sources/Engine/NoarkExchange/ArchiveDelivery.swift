import Foundation
import Logging
import Model
import NoarkExchange
import Packaging
import Storage

/// Pushes incoming arkivmelding messages to the archive system by BEST/EDU `PutMessage`
/// (`difi.move.noarkSystem.*`), as outbox jobs of kind `deliverToArchive` run by the ``OutboxWorker``.
///
/// The job is written in the same transaction that stores the incoming message, so a message is pushed even when
/// the process dies in between; the message is stored locked, so `/api/messages/in/peek` does not offer it
/// meanwhile. An OK (or WARNING) receipt completes the message exactly as `DELETE /api/messages/in/{id}` does:
/// INNKOMMENDE_LEVERT here and a LEVERT receipt back to the sender, in one transaction. An ERROR or NOTSUPPORTED
/// receipt, a SOAP fault or an unreachable archive system is retried on the outbox schedule until the message's
/// time to live ends (LEVETID_UTLOPT); the first failure is shown in the status history as ANNET with the archive
/// system's text (a conversation holds each status once), every one in the log. A message that cannot be converted
/// at all gets FEIL and is unlocked, so the archive system can take it from `/api/messages/in`.
public struct ArchiveDelivery: Sendable {
    let store: any MessageStore
    let payloads: PayloadVault
    let registrar: StatusRegistrar
    let incoming: IncomingMessageService
    let client: any ArchiveSystemClient
    let settings: EngineSettings
    let time: any TimeSource
    let logger: Logger

    public init(store: any MessageStore, payloads: PayloadVault, registrar: StatusRegistrar,
                incoming: IncomingMessageService, client: any ArchiveSystemClient, settings: EngineSettings,
                time: any TimeSource, logger: Logger) {
        self.store = store
        self.payloads = payloads
        self.registrar = registrar
        self.incoming = incoming
        self.client = client
        self.settings = settings
        self.time = time
        self.logger = logger
    }

    /// Why an attempt did not deliver.
    enum Failure: Error {
        /// Worth trying again (the archive system said ERROR, faulted or was unreachable).
        case retry(String)
        /// Trying again cannot help (the message cannot be converted).
        case permanent(String)
    }

    /// Runs one attempt of a `deliverToArchive` job.
    public func run(_ job: OutboxJob) async {
        let messageId = job.messageId
        do {
            let loaded = try await store.read { tx in
                (try tx.incoming(messageId: messageId), try tx.conversation(messageId: messageId, direction: .INCOMING))
            }
            guard let record = loaded.0 else {
                // Taken through the API, or expired: nothing left to deliver.
                try await store.deleteJob(id: job.id)
                return
            }
            if let expiry = loaded.1?.expiry, expiry <= time.now {
                try await expire(job, messageId: messageId)
                return
            }
            try await deliver(record, job: job)
        } catch let failure as Failure {
            await record(failure, job: job)
        } catch {
            await record(.retry("\(error)"), job: job)
        }
    }

    private func deliver(_ record: IncomingMessageRecord, job: OutboxJob) async throws {
        let sbd = try StoredSBD.decode(record.sbd)
        let melding = try await melding(of: record)
        let envelope = NoarkEnvelope(
            conversationId: sbd.conversationId ?? record.conversationId,
            sender: NoarkAddress(orgnr: sbd.sender?.primaryIdentifier ?? record.senderIdentifier ?? "",
                                 ref: sbd.senderRef),
            receiver: NoarkAddress(orgnr: sbd.receiver?.primaryIdentifier ?? settings.orgNumber, ref: sbd.receiverRef))
        let receipt: AppReceipt
        do {
            receipt = try await client.putMessage(envelope: envelope, melding: melding)
        } catch {
            throw Failure.retry("The archive system could not take the message: \(error)")
        }
        guard receipt.type == .OK || receipt.type == .WARNING else {
            throw Failure.retry("The archive system answered \(receipt.summary)")
        }
        try await complete(record, sbd: sbd, job: job, receipt: receipt)
    }

    /// INNKOMMENDE_LEVERT, the LEVERT receipt to the sender, the message and the job gone: one transaction.
    private func complete(_ record: IncomingMessageRecord, sbd: StandardBusinessDocument, job: OutboxJob,
                          receipt: AppReceipt) async throws {
        let messageId = record.messageId
        let levert = try incoming.receiptJSON(for: sbd, status: .LEVERT, service: record.serviceIdentifier)
        let now = time.now
        try await store.write { [registrar] tx in
            try tx.deleteIncoming(messageId: messageId)
            try tx.deleteJob(id: job.id)
            try registrar.register(.INNKOMMENDE_LEVERT, messageId: messageId, direction: .INCOMING,
                                   description: "Levert til arkivsystemet (BEST/EDU): \(receipt.summary)", at: now, in: tx)
            if let levert {
                _ = try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: messageId, payload: levert,
                                               createdAt: now, nextAttemptAt: now))
            }
        }
        try? payloads.delete(messageId: messageId)
        logger.info("Incoming message delivered to the archive system by BEST/EDU PutMessage",
                    metadata: ["audit": "archive", "messageId": "\(messageId)", "conversationId": "\(record.conversationId)"])
    }

    /// The decrypted container's `arkivmelding.xml` and documents as a `Melding`. BEST/EDU carries the files
    /// base64-encoded inside the SOAP request, so the message is held in memory (as the upstream did).
    private func melding(of record: IncomingMessageRecord) async throws -> Melding {
        guard let key = record.payloadKey else { throw Failure.permanent("The message has no documents to deliver.") }
        var bytes: [UInt8] = []
        for try await chunk in try payloads.openContainer(messageId: record.messageId, key: key) {
            bytes.append(contentsOf: chunk)
        }
        let reader: AsicReader
        do { reader = try AsicReader(data: Data(bytes)) } catch {
            throw Failure.permanent("The message's ASiC-E container cannot be read: \(error)")
        }
        let documents = Dictionary(reader.documents.map { ($0.name, $0.mimeType) }, uniquingKeysWith: { a, _ in a })
        guard documents[NextMoveRules.arkivmeldingFilename] != nil else {
            throw Failure.permanent("The message has no arkivmelding.xml, so it cannot be delivered by BEST/EDU.")
        }
        do {
            let xml = try reader.data(NextMoveRules.arkivmeldingFilename)
            return try MeldingFromArkivmelding.melding(arkivmelding: xml) { name in
                guard let type = documents[name], let data = try? reader.data(name) else { return nil }
                return MeldingFromArkivmelding.File(data: data, mimeType: type)
            }
        } catch let error as MeldingFromArkivmelding.TransformError {
            throw Failure.permanent("The message cannot be converted to BEST/EDU: \(error)")
        }
    }

    private func record(_ failure: Failure, job: OutboxJob) async {
        let attempts = job.attempts + 1
        let now = time.now
        do {
            switch failure {
            case .retry(let text) where settings.retry.allowsRetry(after: attempts):
                let next = now.addingTimeInterval(settings.retry.delay(afterAttempt: attempts))
                let description = "\(text). Attempt \(attempts); next attempt at \(OsloTime.format(next))."
                try await store.write { [registrar] tx in
                    try tx.rescheduleJob(id: job.id, attempts: attempts, nextAttemptAt: next, lastError: text)
                    // A conversation holds each status once: the first failure is the ANNET entry; later
                    // ones are in the log and the job's last error.
                    try registrar.register(.ANNET, messageId: job.messageId, direction: .INCOMING,
                                           description: description, at: now, in: tx)
                }
                logger.warning("Delivery to the archive system failed: \(description)", metadata: ["messageId": "\(job.messageId)"])
            case .retry(let text), .permanent(let text):
                try await store.write { [registrar] tx in
                    try tx.deleteJob(id: job.id)
                    try registrar.register(.FEIL, messageId: job.messageId, direction: .INCOMING,
                                           description: "\(text) The message stays available on /api/messages/in.",
                                           at: now, in: tx)
                    // Release the lock taken for the push, so peek offers the message.
                    if var message = try tx.incoming(messageId: job.messageId) {
                        message.lockTimeout = nil
                        try tx.deleteIncoming(messageId: job.messageId)
                        try tx.insertIncoming(message)
                    }
                }
                logger.error("Delivery to the archive system given up: \(text)", metadata: ["messageId": "\(job.messageId)"])
            }
        } catch {
            logger.error("Could not record the failed archive delivery of \(job.messageId): \(error)")
        }
    }

    private func expire(_ job: OutboxJob, messageId: String) async throws {
        let now = time.now
        try await store.write { [registrar] tx in
            try registrar.register(.LEVETID_UTLOPT, messageId: messageId, direction: .INCOMING,
                                   description: ReceiptStatus.expiredDescription, at: now, in: tx)
            try tx.deleteIncoming(messageId: messageId)
            try tx.deleteJob(id: job.id)
        }
        try? payloads.delete(messageId: messageId)
        logger.warning("Time to live passed before the archive system took the message", metadata: ["messageId": "\(messageId)"])
    }
}
