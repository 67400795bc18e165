import Channels
import Engine
import Foundation
import Logging
import Model

/// The engine's DPV channel: hands the message to ``DPVSender`` and turns its outcome into the engine's receipt
/// (`internals.md` §2.2). Statuses are then fetched by ``DPVStatusSource``.
struct DPVChannel: MessageChannel {
    let serviceIdentifier: ServiceIdentifier = .DPV
    let sender: DPVSender
    let time: any TimeSource
    let logger: Logger

    /// DPV carries arkivmelding and digital_dpv (and takes receipts without sending them); the messageId is
    /// Altinn's idempotency key, so it must be a UUID.
    func checkCreate(_ sbd: StandardBusinessDocument) async throws {
        guard [.arkivmelding, .digitalDpv].contains(sbd.messageType) || sbd.messageType.isReceipt else {
            throw NextMoveError.receiverDoesNotAcceptDocumentType(sbd.documentType ?? sbd.messageType.rawValue,
                                                                   process: sbd.processIdentifier ?? "")
        }
        if let messageId = sbd.messageId, UUID(uuidString: messageId) == nil {
            throw NextMoveError.notUUID(field: "messageId", value: messageId)
        }
    }

    func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt {
        let sbd = try delivery.decodedSBD()
        if sbd.messageType.isReceipt {
            // DPV takes no receipts: recorded as delivered and read at once, as upstream.
            logger.info("Receipt to a DPV receiver: not sent, recorded as SENDT, LEVERT, LEST",
                        metadata: ["messageId": "\(delivery.messageId)"])
            return SendReceipt(followingStatuses: [.LEVERT, .LEST])
        }
        let files = delivery.files.map {
            DPVSender.File(filename: $0.filename, title: $0.title, mimeType: $0.mimeType, size: $0.size,
                           dokumentnummer: $0.dokumentnummer, open: $0.open)
        }
        do {
            switch try await sender.send(sbd, files: files, now: time.now) {
            case .created(let id), .createdEarlier(let id):
                logger.info("Correspondence \(id) at Altinn", metadata: ["messageId": "\(delivery.messageId)"])
                return SendReceipt(externalReference: id, pollsStatus: true)
            case .createdEarlierUnknown(let reason):
                logger.error("\(reason) The message is sent; its statuses cannot be followed.",
                             metadata: ["messageId": "\(delivery.messageId)"])
                return SendReceipt(finishes: true)
            }
        } catch {
            throw ChannelError.classifying(error)
        }
    }
}
