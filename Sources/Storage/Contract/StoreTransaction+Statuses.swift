import Foundation

extension StoreTransaction {
    public func appendStatus(_ status: ReceiptStatus, description: String?, rawReceipt: String?, at: Date,
                             updating conversation: Conversation) throws -> MessageStatus {
        let row = try appendStatus(conversationId: conversation.id, status: status, description: description,
                                   rawReceipt: rawReceipt, at: at)
        try updateConversation(conversation)
        return row
    }
}
