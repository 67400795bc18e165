import Foundation
import Logging
import Model
import Storage

extension OutgoingMessageService {
    /// `PUT /api/messages/out/{messageId}`: checks and stores one file (`nextmove-api.md` §4.3), streamed.
    public func upload<S: AsyncSequence & Sendable>(messageId: String, file: UploadedFile, content: S) async throws
        where S.Element == [UInt8] {
        guard let (record, existing) = try await store.read({ tx in try tx.outgoingWithFiles(messageId: messageId) })
        else { throw NextMoveError.messageNotFound(messageId: messageId) }
        try Self.checkTakesFiles(record)
        let sbd = try StoredSBD.decode(record.sbd)
        let stored = try await storeFile(file, content: content, messageId: messageId, sbd: sbd,
                                         service: record.serviceIdentifier, existing: existing)
        do {
            let now = time.now
            try await store.write { tx in
                // The conversation is read under its lock only when an arkivmelding's summary goes into it.
                var locked: Conversation?
                if stored.arkivmelding != nil {
                    locked = try tx.lockConversation(messageId: messageId, direction: .OUTGOING)
                } else {
                    try tx.lockOutgoingConversation(messageId: messageId)
                }
                guard let (message, current) = try tx.outgoingWithFiles(messageId: messageId) else {
                    throw NextMoveError.messageNotFound(messageId: messageId)
                }
                try Self.checkTakesFiles(message)
                if current.contains(where: { $0.filename == stored.file.filename }) {
                    throw NextMoveError.duplicateFilename([stored.file.filename])
                }
                var file = stored.file
                file.dokumentnummer = (current.map(\.dokumentnummer).max() ?? 0) + 1
                try tx.insertFile(file)
                if let summary = stored.arkivmelding, var conversation = locked {
                    summary.apply(to: &conversation)
                    conversation.lastUpdate = now
                    try tx.updateConversation(conversation)
                }
            }
        } catch {
            try? payloads.store.delete(messageId: messageId, key: stored.file.payloadKey)
            throw error
        }
        logger.info("File \(stored.file.filename) added (\(stored.file.size) bytes)", metadata: ["messageId": "\(messageId)"])
    }

    /// Files are added only before the send: after it, 400 `MessageAlreadySent`; after the time to live, the
    /// send's 400 `TimeToLiveException`, since the message can no longer be sent (the upstream stores the file).
    static func checkTakesFiles(_ record: OutgoingMessageRecord) throws {
        switch record.state {
        case .created: return
        case .sending: throw NextMoveError.messageAlreadySent(messageId: record.messageId)
        case .expired: throw try timeToLivePassed(record)
        }
    }

    struct StoredUpload: Sendable {
        var file: StoredFileRecord
        var arkivmelding: ArkivmeldingSummary?
    }

    /// Checks the upload rules, streams the bytes into the payload store (encrypted at rest) and parses an
    /// `arkivmelding.xml`. On any failure nothing stays behind.
    func storeFile<S: AsyncSequence & Sendable>(_ file: UploadedFile, content: S, messageId: String,
                                                sbd: StandardBusinessDocument, service: ServiceIdentifier,
                                                existing: [StoredFileRecord]) async throws -> StoredUpload
        where S.Element == [UInt8] {
        do { try Filename.validate(file.filename) } catch { throw NextMoveError.invalidFilename(error) }
        if existing.contains(where: { $0.filename == file.filename }) {
            throw NextMoveError.duplicateFilename([file.filename])
        }
        guard let limit = settings.uploadSizeLimits[service] else { throw NextMoveError.unknownServiceIdentifier }
        let storedTotal = existing.reduce(Int64(0)) { $0 + $1.size }
        if let declared = file.declaredSize, declared >= 0, storedTotal + declared > limit {
            throw NextMoveError.maxFileSizeExceeded(totalBytes: storedTotal + declared, service: service, limitBytes: limit)
        }
        try checkTitle(file, sbd: sbd, service: service)
        let isArkivmelding = file.filename == "arkivmelding.xml"
        let meter = MeteredUpload(limit: limit, alreadyStored: storedTotal, service: service, keepCopy: isArkivmelding)
        let key = UUID().uuidString.lowercased()
        let size: Int64
        do {
            size = try await payloads.write(messageId: messageId, key: key, chunks: meter.stream(content))
        } catch {
            try? payloads.store.delete(messageId: messageId, key: key)
            throw error
        }
        var summary: ArkivmeldingSummary?
        if isArkivmelding {
            do {
                summary = try ArkivmeldingSummary.parse(Data(meter.copy))
            } catch {
                try? payloads.store.delete(messageId: messageId, key: key)
                throw NextMoveError.arkivmelding(error)
            }
        }
        let record = StoredFileRecord(
            messageId: messageId, payloadKey: key, filename: file.filename, title: file.title,
            mimeType: MimeType.forUpload(contentType: file.contentType, filename: file.filename), size: size,
            dokumentnummer: existing.count + 1, primaryDocument: file.filename == sbd.hoveddokument)
        return StoredUpload(file: record, arkivmelding: summary)
    }

    /// §4.3 items 4–5: DPV needs a title on every file; DPI on every file but the main document and metadata files.
    private func checkTitle(_ file: UploadedFile, sbd: StandardBusinessDocument, service: ServiceIdentifier) throws {
        let hasTitle = !(file.title ?? "").isEmpty
        switch service {
        case .DPV where !hasTitle:
            throw NextMoveError.missingFileTitle(service.rawValue)
        case .DPI where !hasTitle:
            if sbd.messageType == .print { throw NextMoveError.missingFileTitle(service.rawValue) }
            let isPrimary = file.filename == sbd.hoveddokument
            var isMetadata = false
            if case .digital(let digital) = sbd.businessMessage {
                isMetadata = digital.metadataFiler?.values.contains(file.filename) ?? false
            }
            if !isPrimary && !isMetadata { throw NextMoveError.missingFileTitle(service.rawValue) }
        default:
            break
        }
    }
}
