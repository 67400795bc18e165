import Foundation
import Logging
import Model
import Storage

extension OutgoingMessageService {
    /// `POST /api/messages/out/{messageId}`: checks the send rules (`nextmove-api.md` §4.4) and queues delivery.
    /// Sending a message that was already accepted answers OK and sends nothing twice (DECISIONS 11).
    public func send(messageId: String) async throws {
        guard let (record, files) = try await store.read({ tx in try tx.outgoingWithFiles(messageId: messageId) })
        else { throw NextMoveError.messageNotFound(messageId: messageId) }
        switch record.state {
        case .sending:
            return
        case .expired:
            try certificateCheck()
            throw try Self.timeToLivePassed(record)
        case .created:
            break
        }
        let sbd = try StoredSBD.decode(record.sbd)
        try await checkSendRules(sbd, service: record.serviceIdentifier, files: files) {
            try await storedArkivmelding(messageId: messageId, files: files)
        }
        let now = time.now
        try await store.write { tx in
            try tx.lockOutgoingConversation(messageId: messageId)
            guard var current = try tx.outgoing(messageId: messageId) else {
                throw NextMoveError.messageNotFound(messageId: messageId)
            }
            if current.state == .expired { throw try Self.timeToLivePassed(current) }
            guard current.state == .created else { return }
            current.state = .sending
            current.lastUpdated = now
            try tx.updateOutgoing(current)
            _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: messageId, createdAt: now, nextAttemptAt: now))
        }
        wakeUp.signal()
        logger.info("Send accepted", metadata: ["audit": "send", "messageId": "\(messageId)", "conversationId": "\(record.conversationId)"])
    }

    /// §4.4 in order. An expired message gets LEVETID_UTLOPT (kept) and a 400. `arkivmelding` gives the parsed
    /// `arkivmelding.xml`; it is read only once the time to live has been checked.
    func checkSendRules(_ sbd: StandardBusinessDocument, service: ServiceIdentifier, files: [StoredFileRecord],
                        arkivmelding: () async throws -> ArkivmeldingSummary?) async throws {
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
            try NextMoveRules.checkArkivmelding(filenames: names, summary: try await arkivmelding())
        }
        if case .digital(let digital) = sbd.businessMessage {
            try NextMoveRules.checkDigitalMetadataFiles(digital, filenames: names)
        }
        try NextMoveRules.checkPrimaryDocument(sbd, service: service, filenames: names)
    }

    /// Registers LEVETID_UTLOPT and keeps the stored message as expired, without its files (nothing is stored
    /// yet for a multipart create-and-send; its caller removes the files it wrote).
    private func expire(_ sbd: StandardBusinessDocument) async throws {
        guard let messageId = sbd.messageId else { return }
        let now = time.now
        let kept = try await store.write { [registrar] tx in
            try registrar.register(.LEVETID_UTLOPT, messageId: messageId, direction: .OUTGOING,
                                   description: ReceiptStatus.expiredDescription, at: now, in: tx)
            return try tx.keepExpiredOutgoing(messageId: messageId, at: now)
        }
        if kept {
            try? payloads.delete(messageId: messageId)
            logger.warning("Send refused: the time to live has passed; message expired",
                           metadata: ["messageId": "\(messageId)"])
        }
    }

    /// The 400 for a message kept after it expired (`nextmove-api.md` §1.4 `TimeToLiveException`), naming the
    /// stored `expectedResponseDateTime` as the upstream does.
    static func timeToLivePassed(_ record: OutgoingMessageRecord) throws -> NextMoveError {
        // Create always fills expectedResponseDateTime in; the time it was marked expired stands in otherwise.
        let expected = try StoredSBD.decode(record.sbd).expectedResponseDateTime ?? OffsetDateTime(oslo: record.lastUpdated)
        return .timeToLive(expectedResponseDateTime: expected)
    }

    /// The stored `arkivmelding.xml`, read back from the payload store and parsed.
    private func storedArkivmelding(messageId: String, files: [StoredFileRecord]) async throws -> ArkivmeldingSummary? {
        guard let file = files.first(where: { $0.filename == NextMoveRules.arkivmeldingFilename }) else { return nil }
        var bytes: [UInt8] = []
        do {
            for try await chunk in try payloads.open(messageId: messageId, key: file.payloadKey) {
                bytes.append(contentsOf: chunk)
            }
        } catch {
            // Its files go when a message expires: an expiry on another instance may have come in between.
            if let record = try await store.read({ tx in try tx.outgoing(messageId: messageId) }), record.state == .expired {
                throw try Self.timeToLivePassed(record)
            }
            throw error
        }
        do {
            return try ArkivmeldingSummary.parse(Data(bytes))
        } catch {
            throw NextMoveError.arkivmelding(error)
        }
    }
}
