import Logging
import Synchronization

/// Brings a young database's planner statistics up to date as it fills, instead of at autovacuum's first visit.
///
/// A new database starts with empty tables. The store's statements are prepared once per connection and
/// PostgreSQL keeps the plan it makes for them while the tables are a page or two, where a sequential scan is the
/// cheaper plan, until the table is next analysed: autovacuum's first round comes after up to a minute
/// (`autovacuum_naptime`), and by then a busy integration point has read its conversations and status histories
/// row by row thousands of times (a third of the server's CPU in the first thousand messages, measured).
/// `ANALYZE` replaces those plans everywhere. So when the conversations table was small at start, the store
/// analyses its tables once after this process has stored `thresholds[0]` conversations and once after
/// `thresholds[1]`; a database whose tables are larger has its statistics already and is left to autovacuum.
final class PostgresStatisticsWarmUp: Sendable {
    static let thresholds = [250, 2500]
    static let tables = "conversation, message_status, status_queue, outgoing_message, message_file, incoming_message, "
        + "outbox_job, payload, payload_chunk"

    /// Conversations stored by this process, and how many analyses are behind it (`nil`: not a young database).
    private let state = Mutex<(stored: Int, done: Int)?>(nil)

    /// Looks at the conversations table as the server estimates it (-1 before its first analysis).
    func start(_ session: PostgresSession) throws {
        let estimate = try session.integer("SELECT reltuples::bigint FROM pg_class WHERE oid = 'conversation'::regclass") ?? 0
        state.withLock { $0 = estimate < Int64(Self.thresholds[1]) ? (0, 0) : nil }
    }

    /// Counts a conversation stored.
    func stored() {
        state.withLock { state in state?.stored += 1 }
    }

    /// Whether an analysis is due now; answers `true` once per threshold passed.
    func takeDue() -> Bool {
        state.withLock { state in
            guard let current = state, current.done < Self.thresholds.count,
                  current.stored >= Self.thresholds[current.done] else { return false }
            state?.done = Self.thresholds.firstIndex { current.stored < $0 } ?? Self.thresholds.count
            return true
        }
    }

    /// `ANALYZE` of the store's tables; a failure (another owner, a dropped connection) is logged, as autovacuum
    /// will do the work in time.
    static func analyze(_ connections: PostgresConnections) async {
        do {
            try await connections.withConnection { session in _ = try session.unprepared("ANALYZE \(tables)") }
            connections.logger.debug("PostgreSQL: analysed the tables of a young database")
        } catch {
            connections.logger.debug("PostgreSQL: could not analyse the tables (autovacuum will): \(error)")
        }
    }
}
