import Foundation
import Model
import Storage

extension IncomingMessageService {
    /// Registers an incoming `arkivmelding_kvittering` on the message it answers (`relatedToMessageId`), as the
    /// upstream's DPO handler does (`internals.md` §2.1 step 5): ERROR and NOTSUPPORTED give FEIL, anything else
    /// (OK, WARNING) LEST, described as `ArkivmeldingKvittering: <type>` with the receipt as the raw receipt.
    /// Nothing happens for other messages, or when the related message is not ours. On a DPO message MOTTATT and
    /// LEVERT not yet recorded are recorded first (``impliedByArchiveReceipt``).
    public func registerArkivmeldingReceipt(_ sbd: StandardBusinessDocument) async throws {
        guard case .arkivmeldingKvittering(let receipt) = sbd.businessMessage,
              let related = receipt.relatedToMessageId, !related.isEmpty else { return }
        let type = receipt.receiptType ?? ""
        let status: ReceiptStatus = type == "ERROR" || type == "NOTSUPPORTED" ? .FEIL : .LEST
        let raw = (try? JSONEncoder().encode(receipt)).map { String(decoding: $0, as: UTF8.self) }
        let now = time.now
        _ = try await store.write { [registrar] tx in
            // The archive system answered, so its integration point had the message and delivered it. The answer
            // travels apart from the receiving integration point's MOTTATT and LEVERT status messages and may come
            // first: record those not yet here before it then, so the history reads in the order things happened;
            // the status messages that follow change nothing. (Only for DPO, whose receipts these are.)
            if let conversation = try tx.lockConversation(messageId: related, direction: .OUTGOING),
               conversation.serviceIdentifier == .DPO, !conversation.hasStatus(status) {
                for implied in [ReceiptStatus.MOTTATT, .LEVERT] where !conversation.hasStatus(implied) {
                    try registrar.register(implied, messageId: related, direction: .OUTGOING,
                                           description: Self.impliedByArchiveReceipt, at: now, in: tx)
                }
            }
            try registrar.register(status, messageId: related, direction: .OUTGOING,
                                   description: "ArkivmeldingKvittering: \(type)", rawReceipt: raw, at: now, in: tx)
        }
    }

    /// The description of a MOTTATT or LEVERT recorded because the archive system's answer came before it.
    static let impliedByArchiveReceipt = "Recorded with the receiver's arkivmelding_kvittering."
}
