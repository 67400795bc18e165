import Foundation

extension Conversation {
    /// A new conversation for a message, as the upstream creates it (`ConversationService.registerConversation`):
    /// identifiers from the header, `messageReference` = conversationId, `expiry` = `expectedResponseDateTime`,
    /// no statuses yet (register `OPPRETTET` next).
    public init(sbd: StandardBusinessDocument, direction: ConversationDirection, serviceIdentifier: ServiceIdentifier,
                now: Date) {
        let conversationId = sbd.conversationId ?? ""
        self.init(conversationId: conversationId, messageId: sbd.messageId ?? "",
                  sender: sbd.sender?.fullIdentifier ?? sbd.senderValue,
                  receiver: sbd.receiver?.fullIdentifier ?? sbd.receiverValue,
                  senderIdentifier: sbd.senderIdentifier, receiverIdentifier: sbd.receiverIdentifier,
                  processIdentifier: sbd.processIdentifier, documentIdentifier: sbd.documentType,
                  messageReference: conversationId, messageTitle: "", lastUpdate: now,
                  expiry: sbd.expectedResponseDateTime?.date, direction: direction,
                  serviceIdentifier: serviceIdentifier)
    }
}
