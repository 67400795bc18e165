import Foundation

extension StandardBusinessDocument {
    /// The document type of status messages the integration point sends (`difi.move.nextmove.status-document-type`).
    public static let statusDocumentType = "urn:no:difi:eformidling:xsd::status"

    /// The `status` SBD a receiving integration point sends back to the sender (`SBDFactory.createStatusFrom`,
    /// `nextmove-api.md` §5.3): sender and receiver swapped, the original messageId and conversationId,
    /// `creationDateAndTime` = now − 5 s, `expectedResponseDateTime` = now + 24 h (Oslo offsets), process
    /// `receiptProcess` (e.g. `urn:no:difi:profile:arkivmelding:response:ver1.0`).
    public static func statusReceipt(for original: StandardBusinessDocument, status: ReceiptStatus,
                                     receiptProcess: String, now: Date) -> StandardBusinessDocument {
        let header = StandardBusinessDocumentHeader(
            headerVersion: "1.0",
            sender: original.standardBusinessDocumentHeader.receiver?.first.map { [Self.bare($0)] },
            receiver: original.standardBusinessDocumentHeader.sender?.first.map { [Self.bare($0)] },
            documentIdentification: DocumentIdentification(
                standard: statusDocumentType, typeVersion: "2.0", instanceIdentifier: original.messageId,
                type: MessageType.status.rawValue, creationDateAndTime: OffsetDateTime(oslo: now.addingTimeInterval(-5))),
            businessScope: BusinessScope(scope: [
                Scope(.conversationId, instanceIdentifier: original.conversationId, identifier: receiptProcess,
                      scopeInformation: [CorrelationInformation(
                          expectedResponseDateTime: OffsetDateTime(oslo: now.addingTimeInterval(24 * 3600)))]),
            ]))
        return StandardBusinessDocument(standardBusinessDocumentHeader: header, businessMessage: .status(StatusMessage(status)))
    }

    /// A partner reduced to its identifier (contact information is not carried over).
    private static func bare(_ partner: Partner) -> Partner {
        Partner(identifier: partner.identifier)
    }
}
