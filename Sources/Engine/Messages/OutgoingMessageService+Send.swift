import Foundation
import Logging
import Model
import Storage

extension OutgoingMessageService {
    /// `POST /api/messages/out/{messageId}`: checks the send rules (`nextmove-api.md` §4.4) and queues delivery.
    /// Sending a message that was already accepted answers OK and sends nothing twice (DECISIONS 11).
    public func send(messageId: String) async throws {
        let loaded = try await store.read { tx in
            (try tx.outgoing(messageId: messageId), try tx.files(messageId: messageId))
        }
        guard let record = loaded.0 else { throw NextMoveError.messageNotFound(messageId: messageId) }
        if record.state == .sending { return }
        let sbd = try StoredSBD.decode(record.sbd)
        let summary = try await storedArkivmelding(messageId: messageId, files: loaded.1)
        try await checkSendRules(sbd, service: record.serviceIdentifier, files: loaded.1, arkivmelding: summary)
        let now = time.now
        try await store.write { tx in
            guard var current = try tx.outgoing(messageId: messageId) else {
                throw NextMoveError.messageNotFound(messageId: messageId)
            }
            guard current.state == .created else { return }
            current.state = .sending
            current.lastUpdated = now
            try tx.updateOutgoing(current)
            _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: messageId, createdAt: now, nextAttemptAt: now))
        }
        wakeUp.signal()
        logger.info("Send accepted", metadata: ["audit": "send", "messageId": "\(messageId)", "conversationId": "\(record.conversationId)"])
    }

    /// §4.4 in order. An expired message gets LEVETID_UTLOPT (kept) and a 400.
    func checkSendRules(_ sbd: StandardBusinessDocument, service: ServiceIdentifier, files: [StoredFileRecord],
                        arkivmelding: ArkivmeldingSummary?) async throws {
        try certificateCheck()
        let names = files.map(\.filename)
        try NextMoveRules.checkHasFiles(sbd.messageType, filenames: names)
        do {
            try NextMoveRules.checkTimeToLive(sbd, now: time.now)
        } catch {
            try await expire(sbd)
            throw error
        }
        if sbd.messageType == .arkivmelding {
            try NextMoveRules.checkArkivmelding(filenames: names, summary: arkivmelding)
        }
        if case .digital(let digital) = sbd.businessMessage {
            try NextMoveRules.checkDigitalMetadataFiles(digital, filenames: names)
        }
        try NextMoveRules.checkPrimaryDocument(sbd, service: service, filenames: names)
    }

    private func expire(_ sbd: StandardBusinessDocument) async throws {
        guard let messageId = sbd.messageId else { return }
        let now = time.now
        try await store.write { [registrar] tx in
            try registrar.register(.LEVETID_UTLOPT, messageId: messageId, direction: .OUTGOING,
                                   description: ReceiptStatus.expiredDescription, at: now, in: tx)
        }
    }

    /// The stored `arkivmelding.xml`, read back from the payload store and parsed.
    private func storedArkivmelding(messageId: String, files: [StoredFileRecord]) async throws -> ArkivmeldingSummary? {
        guard let file = files.first(where: { $0.filename == NextMoveRules.arkivmeldingFilename }) else { return nil }
        var bytes: [UInt8] = []
        for try await chunk in try payloads.open(messageId: messageId, key: file.payloadKey) {
            bytes.append(contentsOf: chunk)
        }
        do {
            return try ArkivmeldingSummary.parse(Data(bytes))
        } catch {
            throw NextMoveError.arkivmelding(error)
        }
    }
}
