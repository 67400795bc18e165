import Foundation

/// Removing finished conversations past their retention, in one statement.
extension PostgresTransaction {
    /// The candidates are chosen in SQL, as on the embedded store: a finished conversation whose message row is still
    /// stored (an incoming message the archive system has not deleted yet) is passed over, so a sweep never stalls
    /// behind such rows, and nothing is counted. An outgoing message kept only because it expired goes with the last
    /// of its conversations. Statuses and status-queue entries go by the schema's `ON DELETE CASCADE`.
    func deleteFinishedConversations(lastUpdateBefore cutoff: Date, limit: Int) throws -> Int {
        guard limit > 0 else { return 0 }
        let expired = OutgoingMessageRecord.State.expired.rawValue
        // One statement sees one snapshot: the conversations it deletes are still visible to its other parts, so the
        // orphan check leaves them out by id.
        return Int(try session.integer("""
            WITH doomed AS (
                SELECT c.id FROM conversation c
                WHERE c.finished = TRUE AND c.last_update < ?
                  AND NOT EXISTS (SELECT 1 FROM outgoing_message o WHERE o.message_id = c.message_id AND o.state <> ?)
                  AND NOT EXISTS (SELECT 1 FROM incoming_message i WHERE i.message_id = c.message_id)
                ORDER BY c.last_update, c.id LIMIT ?),
            gone AS (
                DELETE FROM conversation WHERE id IN (SELECT id FROM doomed) RETURNING id, message_id),
            orphaned AS (
                DELETE FROM outgoing_message o
                WHERE o.state = ? AND o.message_id IN (SELECT message_id FROM gone)
                  AND NOT EXISTS (SELECT 1 FROM conversation c
                                  WHERE c.message_id = o.message_id AND c.id NOT IN (SELECT id FROM gone)))
            SELECT count(*) FROM gone
            """, [cutoff.microsecondsSince1970, expired, limit, expired]) ?? 0)
    }
}
