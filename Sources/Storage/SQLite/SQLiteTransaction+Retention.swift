import Foundation
import GRDB

/// Removing finished conversations past their retention, in one statement per table.
extension SQLiteTransaction {
    func deleteFinishedConversations(lastUpdateBefore cutoff: Date, limit: Int) throws -> Int {
        guard limit > 0 else { return 0 }
        // A finished conversation whose message row is still stored (an incoming message the archive system has
        // not deleted yet) stays; it goes at a later sweep, once the message is gone. An outgoing message kept
        // only because it expired does not hold its conversation: it goes with it.
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT c.id, c.message_id FROM conversation c
            WHERE c.finished = 1 AND c.last_update < ?
              AND NOT EXISTS (SELECT 1 FROM outgoing_message o WHERE o.message_id = c.message_id AND o.state <> ?)
              AND NOT EXISTS (SELECT 1 FROM incoming_message i WHERE i.message_id = c.message_id)
            ORDER BY c.last_update, c.id LIMIT ?
            """), arguments: [cutoff.microsecondsSince1970, OutgoingMessageRecord.State.expired.rawValue, limit])
        let ids: [Int64] = rows.map { $0["id"] }
        guard !ids.isEmpty else { return 0 }
        var filter = SQLFilter()
        filter.any("conv_id", in: ids)
        try db.execute(sql: "DELETE FROM status_queue WHERE status_id IN (SELECT id FROM message_status \(filter.whereClause))",
                       arguments: filter.arguments)
        try db.execute(sql: "DELETE FROM message_status \(filter.whereClause)", arguments: filter.arguments)
        var byId = SQLFilter()
        byId.any("id", in: ids)
        try db.execute(sql: "DELETE FROM conversation \(byId.whereClause)", arguments: byId.arguments)
        let deleted = db.changesCount
        try deleteExpiredOutgoingWithoutConversation(messageIds: Set(rows.map { $0["message_id"] as String }))
        return deleted
    }

    /// Deletes the expired outgoing messages among `messageIds` that no conversation refers to any more (their
    /// file rows went when they expired).
    private func deleteExpiredOutgoingWithoutConversation(messageIds: Set<String>) throws {
        var filter = SQLFilter()
        filter.any("message_id", in: messageIds.sorted())
        filter.equal("state", OutgoingMessageRecord.State.expired.rawValue)
        let orphaned = "\(filter.whereClause) AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.message_id = outgoing_message.message_id)"
        try db.execute(sql: "DELETE FROM outgoing_message \(orphaned)", arguments: filter.arguments)
    }

    func oldestConversationUpdate() throws -> Date? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(last_update) FROM conversation"))
            .map { Date(microsecondsSince1970: $0) }
    }
}
