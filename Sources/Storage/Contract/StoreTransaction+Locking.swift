import Foundation

extension StoreTransaction {
    /// Backends whose write transactions never run side by side (the embedded store) need no row lock: the
    /// current row will do.
    public func lockConversation(id: Int64) throws -> Conversation? {
        try conversation(id: id)
    }

    public func lockConversation(messageId: String, direction: ConversationDirection) throws -> Conversation? {
        try conversation(messageId: messageId, direction: direction)
    }

    public func lockConversationRow(messageId: String, direction: ConversationDirection) throws {}
}
