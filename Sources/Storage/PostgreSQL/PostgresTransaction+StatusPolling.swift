import Foundation
import PostgresNIO

/// Leases on pollable conversations, so that one poller at a time — of any instance sharing the database — asks a
/// channel about a conversation.
extension PostgresTransaction {
    /// `FOR UPDATE SKIP LOCKED` makes concurrent claimers pass over rows another claimer is taking.
    func claimPollableConversations(service: ServiceIdentifier, now: Date, limit: Int, leaseUntil: Date,
                                    owner: String) throws -> [Conversation] {
        let now = now.microsecondsSince1970
        let rows = try session.rows("""
            WITH due AS (
                SELECT id FROM conversation
                WHERE service_identifier = ? AND pollable AND direction = 'OUTGOING'
                    AND (next_poll_at IS NULL OR next_poll_at <= ?)
                    AND (poll_lease_until IS NULL OR poll_lease_until <= ?)
                ORDER BY next_poll_at NULLS FIRST, id LIMIT ?
                FOR UPDATE SKIP LOCKED)
            UPDATE conversation c SET poll_lease_owner = ?, poll_lease_until = ? FROM due WHERE c.id = due.id
            RETURNING c.*
            """, [service.rawValue, now, now, max(limit, 0), owner, leaseUntil.microsecondsSince1970])
        return try withStatuses(rows.map(Conversation.init(row:))).sorted { $0.id < $1.id }
    }

    func releasePolledConversation(id: Int64, owner: String, nextPollAt: Date) throws {
        try session.execute("""
            UPDATE conversation SET next_poll_at = ?, poll_lease_owner = NULL, poll_lease_until = NULL
            WHERE id = ? AND (poll_lease_owner = ? OR poll_lease_owner IS NULL)
            """, [nextPollAt.microsecondsSince1970, id, owner])
    }
}
