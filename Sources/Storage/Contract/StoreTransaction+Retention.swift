import Foundation

/// Retention built from the other operations, for a backend that has no faster way (the SQLite store overrides
/// both with one statement each).
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
            if try outgoing(messageId: conversation.messageId) != nil { continue }
            if try incoming(messageId: conversation.messageId) != nil { continue }
            if try deleteConversation(id: conversation.id) { deleted += 1 }
        }
        return deleted
    }

    public func oldestConversationUpdate() throws -> Date? {
        try findConversations(ConversationQuery(),
                              page: PageRequest(page: 0, size: 1, sort: [Model.SortOrder("lastUpdate"), Model.SortOrder("id")]))
            .content.first?.lastUpdate
    }
}
