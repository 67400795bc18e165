import Foundation
@testable import Storage
import Testing

/// The store's sessions follow indexes even where the planner, left to itself, would read a small table row by row.
@Suite("PostgreSQL: the store's sessions look rows up by index", .enabled(if: PostgresTestDatabase.isRequested))
struct PostgresSessionSettingsTests {
    /// The generic plan of a conversation's look-up by message id, as a prepared statement keeps it.
    private static func lookUpPlan(_ session: PostgresSession, name: String) throws -> String {
        _ = try session.unprepared("SET plan_cache_mode = force_generic_plan")
        _ = try session.unprepared("""
            PREPARE \(name)(text) AS SELECT c.id, s.status FROM conversation c
            LEFT JOIN message_status s ON s.conv_id = c.id WHERE c.message_id = $1 AND c.direction = 'OUTGOING'
            """)
        return try plan(session, "EXPLAIN EXECUTE \(name)('x')")
    }

    /// What an `EXPLAIN` statement answers, one line per row.
    private static func plan(_ session: PostgresSession, _ explain: String) throws -> String {
        try session.unprepared(explain).rows.compactMap { try? $0.decode(String.self) }.joined(separator: "\n")
    }

    /// A store on a schema of its own, with one connection.
    private static func newStore() async throws -> PostgresMessageStore {
        try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(
            schema: PostgresTestDatabase.newSchemaName(), poolSize: 1))
    }

    /// As autovacuum leaves a new database: its tables analysed after their first 50 rows (its threshold), a few
    /// pages. A session with the server's defaults plans a sequential scan then, and keeps the plan however large
    /// the table grows; the store's session plans the look-up by the unique index.
    @Test func aLookUpFollowsTheIndexOfASmallTable() async throws {
        let store = try await Self.newStore()
        _ = try await store.write { tx in
            for n in 1...60 { _ = try tx.insertConversation(Fixture.conversation(n)) }
        }
        let (setting, plan, planByDefault, unindexed) = try await store.connections.withConnection { session in
            _ = try session.unprepared("ANALYZE conversation, message_status")
            let setting = try session.row("SHOW enable_seqscan")?.string("enable_seqscan")
            let plan = try Self.lookUpPlan(session, name: "store_look_up")
            _ = try session.unprepared("SET enable_seqscan = on")
            let planByDefault = try Self.lookUpPlan(session, name: "default_look_up")
            _ = try session.unprepared(PostgresConnections.sessionSettings)
            // A statement with no index to follow still runs, scanning.
            let unindexed = try session.integer("SELECT count(*) FROM conversation WHERE message_title = ?", [""])
            return (setting, plan, planByDefault, unindexed)
        }
        #expect(setting == "off")
        #expect(plan.contains("Index Scan using conversation_message_id_direction_key"), "\(plan)")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        #expect(planByDefault.contains("Seq Scan on conversation"), "\(planByDefault)")
        #expect(unindexed == 60)
    }

    /// `enable_seqscan = off` prices a scan far above `jit_above_cost`; the store's session must not pay for an LLVM
    /// compilation on every statement that still scans (40–50 ms of the server's CPU each).
    @Test func aScanIsNotCompiled() async throws {
        let store = try await Self.newStore()
        let scan = "SELECT count(*) FROM conversation WHERE message_title LIKE '%x%'"
        let (setting, plan, jitAvailable, planWithJIT) = try await store.connections.withConnection { session in
            let setting = try session.row("SHOW jit")?.string("jit")
            let plan = try Self.plan(session, "EXPLAIN ANALYZE " + scan)
            let available = try session.row("SELECT pg_jit_available() AS available")?.bool("available") ?? false
            _ = try session.unprepared("SET jit = on")
            let planWithJIT = try Self.plan(session, "EXPLAIN ANALYZE " + scan)
            _ = try session.unprepared(PostgresConnections.sessionSettings)
            return (setting, plan, available, planWithJIT)
        }
        #expect(setting == "off")
        #expect(plan.contains("Seq Scan on conversation"), "\(plan)")
        #expect(!plan.contains("JIT"), "\(plan)")
        if jitAvailable {
            // What the setting prevents, where the server can compile at all.
            #expect(planWithJIT.contains("JIT"), "\(planWithJIT)")
        }
    }

    /// The default page of `/api/conversations` (newest first) reads the `last_update` index backwards instead of
    /// sorting the whole table: on a million conversations 0.2 ms instead of 150.
    @Test func theNewestConversationsFollowTheIndex() async throws {
        let store = try await Self.newStore()
        _ = try await store.write { tx in
            for n in 1...60 { _ = try tx.insertConversation(Fixture.conversation(n)) }
        }
        let order = try SortableColumns.conversations.orderBy([SortOrder("lastUpdate", ascending: false)])
        let (plan, oldest) = try await store.connections.withConnection { session in
            _ = try session.unprepared("ANALYZE conversation")
            let plan = try Self.plan(session, "EXPLAIN ANALYZE SELECT * FROM conversation ORDER BY \(order) LIMIT 20")
            return (plan, try PostgresTransaction(session).oldestConversationUpdate())
        }
        #expect(plan.contains("Index Scan Backward using conversation_last_update"), "\(plan)")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        #expect(oldest == Clock.at(1))
    }
}
