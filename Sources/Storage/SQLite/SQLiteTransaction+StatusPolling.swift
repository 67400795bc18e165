import Foundation
import GRDB

/// Leases on pollable conversations, so that one poller at a time asks a channel about a conversation.
extension SQLiteTransaction {
    /// Safe against concurrent claimers because SQLite runs one write transaction at a time.
    func claimPollableConversations(service: ServiceIdentifier, now: Date, limit: Int, leaseUntil: Date,
                                    owner: String) throws -> [Conversation] {
        let now = now.microsecondsSince1970
        let ids = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM conversation
            WHERE service_identifier = ? AND pollable = 1 AND direction = 'OUTGOING'
                AND (next_poll_at IS NULL OR next_poll_at <= ?)
                AND (poll_lease_until IS NULL OR poll_lease_until <= ?)
            ORDER BY next_poll_at IS NOT NULL, next_poll_at, id LIMIT ?
            """), arguments: [service.rawValue, now, now, max(limit, 0)])
        guard !ids.isEmpty else { return [] }
        var filter = SQLFilter()
        filter.any("id", in: ids)
        try db.execute(sql: "UPDATE conversation SET poll_lease_owner = ?, poll_lease_until = ? \(filter.whereClause)",
                       arguments: [owner, leaseUntil.microsecondsSince1970] + filter.arguments)
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM conversation \(filter.whereClause)", arguments: filter.arguments)
        let byId = Dictionary(uniqueKeysWithValues: try withStatuses(rows.map(Conversation.init(row:))).map { ($0.id, $0) })
        return ids.compactMap { byId[$0] }
    }

    func releasePolledConversation(id: Int64, owner: String, nextPollAt: Date) throws {
        try db.cachedStatement(sql: """
            UPDATE conversation SET next_poll_at = ?, poll_lease_owner = NULL, poll_lease_until = NULL
            WHERE id = ? AND (poll_lease_owner = ? OR poll_lease_owner IS NULL)
            """).execute(arguments: [nextPollAt.microsecondsSince1970, id, owner])
    }
}
