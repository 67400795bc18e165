import Foundation
import Model
import Packaging

/// A receipt from corner 2, verified: a signed forretningsmelding of a receipt type about one of our letters
/// (`internals.md` §2.6, "Receipts").
public struct DPIReceipt: Sendable, Equatable {
    /// The receipt's own message id: the one to mark as read.
    public var messageId: String
    /// The conversation of the letter it is about.
    public var conversationId: String
    /// The receipt type as written (`documentIdentification.type`).
    public var typeName: String
    /// The known type; nil for a type this version does not know (it becomes ANNET).
    public var type: DPIMessageType? { DPIMessageType(name: typeName) }
    /// When the event happened (`tidspunkt`); nil when the receipt has none.
    public var tidspunkt: Date?
    /// The signed receipt as received (kept as the status's raw receipt).
    public var jwt: String

    /// The status the receipt means, with the upstream's description.
    public var status: (status: ReceiptStatus, description: String) {
        switch type {
        case .leveringskvittering:
            (.LEVERT, "Kvittering på at digital post er tilgjengeliggjort eller at fysisk post er klargjort for utskrift")
        case .mottakskvittering:
            (.LEVERT, "Kvittering fra utskrift og forsendelsestjenesten om at melding er mottatt og lagt til print")
        case .aapningskvittering:
            (.LEST, "Kvittering fra Innbygger for at digital post er åpnet")
        case .varslingfeiletkvittering:
            (.FEIL, "Kvittering for at en spesifisert varsling ikke har blitt sendt")
        case .returpostkvittering:
            (.FEIL, "Kvittering fra utskrift og forsendelsestjenesten om at posten ikke har blitt levert til Mottaker.")
        case .feil:
            (.FEIL, "Generell melding om at det har skjedd en feil")
        case .digital, .utskrift, .flyttet, nil:
            (.ANNET, "Ukjent kvittering")
        }
    }

    /// Verifies a received forretningsmelding against `trust` at `time` and reads the receipt from it.
    /// Throws `DPIError.rejectedReceipt` with what was wrong.
    public static func read(_ jwt: String, trust: CertificateTrust, at time: Date) async throws -> DPIReceipt {
        let verified: CertificateChainJWS.Verified
        do {
            verified = try await CertificateChainJWS.verify(jwt, trust: trust, at: time)
        } catch let error as CertificateChainJWSError {
            throw DPIError.rejectedReceipt(error.description)
        }
        guard let root = try? JSONSerialization.jsonObject(with: verified.payload) as? [String: Any] else {
            throw DPIError.rejectedReceipt("the payload is not a JSON object")
        }
        let document = root["standardBusinessDocument"] as? [String: Any] ?? root
        guard let header = document["standardBusinessDocumentHeader"] as? [String: Any],
              let identification = header["documentIdentification"] as? [String: Any] else {
            throw DPIError.rejectedReceipt("the payload is not a standard business document")
        }
        guard let messageId = identification["instanceIdentifier"] as? String, !messageId.isEmpty else {
            throw DPIError.rejectedReceipt("the receipt has no documentIdentification.instanceIdentifier")
        }
        let scopes = ((header["businessScope"] as? [String: Any])?["scope"] as? [[String: Any]]) ?? []
        guard let conversationId = scopes.first(where: { ($0["type"] as? String) == "ConversationId" })?["instanceIdentifier"] as? String,
              !conversationId.isEmpty else {
            throw DPIError.rejectedReceipt("the receipt \(messageId) has no ConversationId scope")
        }
        // An unknown type is still a receipt about our letter: it becomes ANNET, as the upstream maps it.
        let typeName = identification["type"] as? String ?? ""
        let body = (document[typeName] as? [String: Any])
            ?? document.first(where: { $0.key != "standardBusinessDocumentHeader" })?.value as? [String: Any]
        let tidspunkt = (body?["tidspunkt"] as? String).flatMap { OffsetDateTime(parsing: $0)?.date }
        return DPIReceipt(messageId: messageId, conversationId: conversationId, typeName: typeName, tidspunkt: tidspunkt,
                          jwt: jwt)
    }
}
