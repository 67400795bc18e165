import Channels
import Engine
import Foundation
import Model

/// The engine's DPF channel: KS SvarUt (`internals.md` §2.3). Documents go one by one, each CMS-encrypted to the
/// receiver's DPF certificate; SvarUt guarantees delivery once it has accepted the forsendelse, so LEVERT follows
/// SENDT at once and only LEST is polled for. Receipts addressed to a SvarUt receiver go nowhere: they are
/// recorded as SENDT, LEVERT and LEST, as upstream.
struct DPFChannel: MessageChannel {
    let serviceIdentifier: ServiceIdentifier = .DPF
    let sender: SvarUtSender
    let registry: ServiceRegistryClient

    func checkCreate(_ sbd: StandardBusinessDocument) async throws {
        guard sbd.messageType == .arkivmelding else { return }
        let problem: SvarUtSender.CreateProblem?
        do {
            problem = try await sender.problem(with: sbd)
        } catch {
            // SvarUt cannot tell its forsendelse types now; the type is checked again when the message is sent.
            return
        }
        switch problem {
        case nil:
            return
        case .missingSikkerhetsnivaa:
            throw NextMoveError.invalidArgument([ConstraintViolation(
                code: "NotNull", message: "must not be null; DPF (KS SvarUt) needs 3 or 4", path: "arkivmelding.sikkerhetsnivaa",
                rejectedValue: nil, fieldType: "java.lang.Integer")])
        case .missingCredentials(let sender):
            throw NextMoveError.missingSvarUtCredentials(orgnr: sender)
        case .unknownForsendelseType(let type, let known):
            throw NextMoveError.forsendelseTypeNotFound(type, validTypes: "[\(known.joined(separator: ", "))]")
        }
    }

    func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt {
        let sbd = try delivery.decodedSBD()
        if delivery.isStatus || sbd.messageType != .arkivmelding {
            return SendReceipt(followingStatuses: [.LEVERT, .LEST])
        }
        do {
            let forsendelseId = try await send(delivery, sbd: sbd)
            return SendReceipt(externalReference: forsendelseId, followingStatuses: [.LEVERT], pollsStatus: true)
        } catch {
            throw ChannelError.classifying(error)
        }
    }

    private func send(_ delivery: OutgoingDelivery, sbd: StandardBusinessDocument) async throws -> String {
        guard let receiver = sbd.receiverIdentifier else { throw ChannelError.permanent("The SBD has no receiver.") }
        let documentType = sbd.documentType ?? ""
        let entry = try await registry.lookup(identifier: receiver, process: sbd.processIdentifier,
                                              securityLevel: sbd.sikkerhetsnivaa, conversationId: sbd.conversationId)
        guard let record = entry.serviceRecords.first(where: { $0.documentTypes.contains(documentType) }) else {
            throw ChannelError.permanent("The service registry no longer offers \(receiver) the process \(sbd.processIdentifier ?? "") "
                + "with \(documentType).")
        }
        guard let certificate = record.certificateDER else {
            throw ChannelError.permanent("The service registry has no DPF certificate for \(receiver); the documents cannot be encrypted to it.")
        }
        let files = delivery.files.map {
            SvarUtSender.OutgoingFile(filename: $0.filename, mimeType: $0.mimeType, size: $0.size, open: $0.open)
        }
        let registry = self.registry
        let senderNumber = sbd.senderIdentifier ?? ""
        return try await sender.send(sbd: sbd, files: files, receiverInfo: entry.infoRecord,
                                     receiverCertificateDER: certificate,
                                     senderInfo: { try await registry.info(identifier: senderNumber) })
    }
}
