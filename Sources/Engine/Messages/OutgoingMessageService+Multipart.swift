import Foundation
import Logging
import Model
import Storage

/// One file part of a multipart create-and-send, delivered as it streams in.
public struct MultipartFilePart<Content: AsyncSequence & Sendable>: Sendable where Content.Element == [UInt8] {
    public var file: UploadedFile
    public var content: Content

    public init(file: UploadedFile, content: Content) {
        self.file = file
        self.content = content
    }
}

extension OutgoingMessageService {
    /// `POST /api/messages/out/multipart`: create, add every file and send, all or nothing (DECISIONS 8).
    ///
    /// `nextPart` yields the file parts in order and nil at the end; it is called only after the SBD passed the
    /// create checks, so a bad SBD is refused before any file is read.
    public func createAndSend<Content: AsyncSequence & Sendable>(
        _ request: StandardBusinessDocument,
        nextPart: () async throws -> MultipartFilePart<Content>?
    ) async throws -> StandardBusinessDocument where Content.Element == [UInt8] {
        var prepared = try await prepare(request)
        let messageId = prepared.record.messageId
        if let repeated = try await repeatedSend(prepared) { return repeated }
        var files: [StoredFileRecord] = []
        var arkivmelding: ArkivmeldingSummary?
        do {
            while let part = try await nextPart() {
                let stored = try await storeFile(part.file, content: part.content, messageId: messageId,
                                                 sbd: prepared.sbd, service: prepared.record.serviceIdentifier,
                                                 existing: files)
                files.append(stored.file)
                if let summary = stored.arkivmelding {
                    summary.apply(to: &prepared.conversation)
                    arkivmelding = summary
                }
            }
            try await checkSendRules(prepared.sbd, service: prepared.record.serviceIdentifier, files: files) {
                arkivmelding
            }
            try await commitAccepted(prepared, files: files)
        } catch {
            for file in files { try? payloads.store.delete(messageId: messageId, key: file.payloadKey) }
            throw error
        }
        wakeUp.signal()
        logger.info("Message created and send accepted (\(files.count) files)", metadata: prepared.metadata.merging(["audit": "send"]) { $1 })
        return prepared.sbd
    }

    /// An exact repeat of a multipart request that was already accepted answers the stored SBD.
    private func repeatedSend(_ prepared: PreparedMessage) async throws -> StandardBusinessDocument? {
        let messageId = prepared.record.messageId
        guard let existing = try await store.read({ tx in try tx.outgoing(messageId: messageId) }) else { return nil }
        guard existing.state == .sending, prepared.repeats(existing) else {
            throw NextMoveError.messageAlreadyExists(messageId: messageId)
        }
        return try StoredSBD.decode(existing.sbd)
    }

    private func commitAccepted(_ prepared: PreparedMessage, files: [StoredFileRecord]) async throws {
        let now = time.now
        var record = prepared.record
        record.state = .sending
        let accepted = record
        try await store.write { [registrar] tx in
            if try tx.outgoing(messageId: accepted.messageId) != nil
                || (!prepared.isStatus && !(try tx.conversations(messageId: accepted.messageId).isEmpty)) {
                throw NextMoveError.messageAlreadyExists(messageId: accepted.messageId)
            }
            try tx.insertOutgoing(accepted)
            for file in files { try tx.insertFile(file) }
            var conversation = prepared.conversation
            conversation.id = try tx.insertConversation(conversation)
            try registrar.register(.OPPRETTET, onLocked: &conversation, at: now, in: tx)
            _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: accepted.messageId, createdAt: now,
                                           nextAttemptAt: now))
        }
    }
}
