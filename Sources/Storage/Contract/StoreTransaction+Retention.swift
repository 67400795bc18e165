import Foundation

/// Retention built from the other operations, for a backend that has no faster way (the SQLite store overrides it
/// with one statement).
extension StoreTransaction {
    public func deleteFinishedConversations(lastUpdateBefore cutoff: Date, limit: Int) throws -> Int {
        guard limit > 0 else { return 0 }
        var query = ConversationQuery()
        query.finished = true
        query.lastUpdateTo = cutoff.addingTimeInterval(-0.000_001)
        let candidates = try findConversations(
            query, page: PageRequest(page: 0, size: limit, sort: [Model.SortOrder("lastUpdate"), Model.SortOrder("id")]))
        var deleted = 0
        for conversation in candidates.content {
            let message = try outgoing(messageId: conversation.messageId)
            if let message, message.state != .expired { continue }
            if try incoming(messageId: conversation.messageId) != nil { continue }
            guard try deleteConversation(id: conversation.id) else { continue }
            deleted += 1
            // An outgoing message kept only because it expired goes with the last conversation of its messageId.
            if message != nil, try conversations(messageId: conversation.messageId).isEmpty {
                try deleteOutgoing(messageId: conversation.messageId)
            }
        }
        return deleted
    }
}
