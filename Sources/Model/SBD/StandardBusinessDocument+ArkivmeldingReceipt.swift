import Foundation

extension StandardBusinessDocument {
    /// An `arkivmelding_kvittering` (OK) as if the receiver's archive system had sent it for `conversation`: what
    /// the upstream puts in the local in-queue when a DPV message is published or a DPF message read and
    /// `difi.move.arkivmelding.generate-arkivmelding-receipts=true` (`internals.md` §2.2, §2.3).
    ///
    /// Sender and receiver are the conversation's, swapped; the conversationId is kept; the messageId is new.
    public static func arkivmeldingReceipt(for conversation: Conversation, messageId: String, receiptProcess: String,
                                           receiptDocumentType: String, now: Date) -> StandardBusinessDocument {
        func partner(_ value: String?) -> [Partner]? {
            guard let value, let parsed = try? PartnerIdentifier.parse(value) else { return nil }
            return [Partner(parsed)]
        }
        let header = StandardBusinessDocumentHeader(
            headerVersion: "1.0",
            sender: partner(conversation.receiver ?? conversation.receiverIdentifier),
            receiver: partner(conversation.sender ?? conversation.senderIdentifier),
            documentIdentification: DocumentIdentification(
                standard: receiptDocumentType, typeVersion: "2.0", instanceIdentifier: messageId,
                type: MessageType.arkivmeldingKvittering.rawValue, creationDateAndTime: OffsetDateTime(oslo: now)),
            businessScope: BusinessScope(scope: [
                Scope(.conversationId, instanceIdentifier: conversation.conversationId, identifier: receiptProcess,
                      scopeInformation: [CorrelationInformation(
                          expectedResponseDateTime: OffsetDateTime(oslo: now.addingTimeInterval(24 * 3600)))]),
            ]))
        let receipt = ArkivmeldingKvitteringMessage(receiptType: "OK", relatedToMessageId: conversation.messageId,
                                                    messages: [])
        return StandardBusinessDocument(standardBusinessDocumentHeader: header,
                                        businessMessage: .arkivmeldingKvittering(receipt))
    }
}
