import Foundation
import Model
import Storage

extension IncomingMessageService {
    /// Registers an incoming `arkivmelding_kvittering` on the message it answers (`relatedToMessageId`), as the
    /// upstream's DPO handler does (`internals.md` §2.1 step 5): ERROR and NOTSUPPORTED give FEIL, anything else
    /// (OK, WARNING) LEST, described as `ArkivmeldingKvittering: <type>` with the receipt as the raw receipt.
    /// Nothing happens for other messages, or when the related message is not ours.
    public func registerArkivmeldingReceipt(_ sbd: StandardBusinessDocument) async throws {
        guard case .arkivmeldingKvittering(let receipt) = sbd.businessMessage,
              let related = receipt.relatedToMessageId, !related.isEmpty else { return }
        let type = receipt.receiptType ?? ""
        let status: ReceiptStatus = type == "ERROR" || type == "NOTSUPPORTED" ? .FEIL : .LEST
        let raw = (try? JSONEncoder().encode(receipt)).map { String(decoding: $0, as: UTF8.self) }
        let now = time.now
        _ = try await store.write { [registrar] tx in
            try registrar.register(status, messageId: related, direction: .OUTGOING,
                                   description: "ArkivmeldingKvittering: \(type)", rawReceipt: raw, at: now, in: tx)
        }
    }
}
