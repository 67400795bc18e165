import Foundation
import GRDB

/// Removing finished conversations past their retention, in one statement per table.
extension SQLiteTransaction {
    func deleteFinishedConversations(lastUpdateBefore cutoff: Date, limit: Int) throws -> Int {
        guard limit > 0 else { return 0 }
        // A finished conversation whose message row is still stored (an incoming message the archive system has
        // not deleted yet) stays; it goes at a later sweep, once the message is gone.
        let ids = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT c.id FROM conversation c
            WHERE c.finished = 1 AND c.last_update < ?
              AND NOT EXISTS (SELECT 1 FROM outgoing_message o WHERE o.message_id = c.message_id)
              AND NOT EXISTS (SELECT 1 FROM incoming_message i WHERE i.message_id = c.message_id)
            ORDER BY c.last_update, c.id LIMIT ?
            """), arguments: [cutoff.microsecondsSince1970, limit])
        guard !ids.isEmpty else { return 0 }
        var filter = SQLFilter()
        filter.any("conv_id", in: ids)
        try db.execute(sql: "DELETE FROM status_queue WHERE status_id IN (SELECT id FROM message_status \(filter.whereClause))",
                       arguments: filter.arguments)
        try db.execute(sql: "DELETE FROM message_status \(filter.whereClause)", arguments: filter.arguments)
        var byId = SQLFilter()
        byId.any("id", in: ids)
        try db.execute(sql: "DELETE FROM conversation \(byId.whereClause)", arguments: byId.arguments)
        return db.changesCount
    }

    func oldestConversationUpdate() throws -> Date? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(last_update) FROM conversation"))
            .map { Date(microsecondsSince1970: $0) }
    }
}
